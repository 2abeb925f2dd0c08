// Package ingest keeps the store in step with the places articles come
// from. [Seeds] syncs a folder of article files, once at start
// ([Seeds.Sync]) and by polling while the bot runs ([Seeds.Watch]).
//
// # Keys
//
// Every file of the seeds folder is stored under the source key
// [KeyPrefix] + its path relative to the folder, with forward slashes:
// seeds/a.txt and seeds/world/b.md for <Dir>/a.txt and <Dir>/world/b.md.
// The key does not depend on where the folder is or how Dir is spelled, so
// it is the same across runs and machines. It has no URL scheme, so it
// cannot collide with the keys of feed items, which are absolute URLs. A
// Seeds owns every key that starts with KeyPrefix: keys under it whose file
// is gone are removed, so a store is synced with one seeds folder at a time.
// Keys without the prefix are never touched.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// KeyPrefix starts the source key of every seed file.
const KeyPrefix = "seeds/"

// reportedStateKey is the store state key holding the bad files already
// reported: a JSON object from source key to a short hash of the file's
// size, modification time and reason.
const reportedStateKey = "seeds.reported"

// DefaultInterval is the poll interval when Seeds.Interval is 0.
const DefaultInterval = 5 * time.Second

// racyWindow is how old a file's modification time must be, when the file
// is read, for a later sync to trust that an unchanged size and time mean
// unchanged content. A file written again within the clock tick of its
// last write (or within the 2-second granularity of some file systems)
// keeps its time; such recent files are read again on the next sync, which
// costs a read and a parse but no analysis when the content is the same.
const racyWindow = 2 * time.Second

// Seeds syncs a folder of article files into the store. Set the exported
// fields before the first Sync and leave them alone afterwards. Sync and
// Watch are safe for concurrent use; syncs run one at a time.
type Seeds struct {
	Dir      string
	Store    *store.Store
	Log      *slog.Logger // nil means slog.Default()
	Load     briefing.LoadOptions
	Brief    briefing.Options
	Interval time.Duration    // poll interval (SEEDS_POLL_INTERVAL); 0 means 5s
	Now      func() time.Time // nil means time.Now; the time recorded by PutArticle
	// Replicas on one database: one at a time syncs the folder, holding
	// the lease "seeds" (LeaseName) as Replica (REPLICA_ID) for LeaseTTL
	// (LEASE_TTL), renewed at each sync. Defaults: "briefbot", 30 s.
	Replica  string
	LeaseTTL time.Duration

	mu    sync.Mutex
	files map[string]fileState // by source key, as of the last sync
	// batch is the most articles the next flush stores (0: putBatch):
	// halved when a flush fails, doubled again when one succeeds but
	// kept below the size that failed (failedAt) until a sync ends
	// without error, so that a batch too slow to commit on a loaded
	// machine (its lease lost meanwhile) gives way to smaller ones
	// instead of failing again and again.
	batch, failedAt int
	// unmerged counts the articles stored since Watch last merged the
	// search index (see mergeIndex).
	unmerged int

	// Replaceable in tests, to count the work done; nil means the
	// briefing functions.
	loadFile  func(path string, opt briefing.LoadOptions) (*briefing.Article, error)
	analyze   func(a *briefing.Article, opt briefing.Options) *briefing.Analysis
	afterSync func(err error) // called by Watch after each sync
	// putArticles, if set, stores a batch instead of Store.PutArticles.
	putArticles func(ctx context.Context, puts []store.ArticlePut) ([]bool, error)
}

// Result of one sync. Added, Changed and Removed count source keys put,
// replaced and removed in the store; Unchanged counts files whose article
// the store already held; Bad counts files (and subfolders) that could not
// be loaded, whether newly reported or not.
type Result struct{ Added, Changed, Removed, Unchanged, Bad int }

// changed reports whether the sync changed the store's keys.
func (r Result) changed() bool { return r.Added+r.Changed+r.Removed > 0 }

// fileState is what the last sync saw of one file.
type fileState struct {
	size    int64
	mtime   time.Time
	trusted bool   // size and mtime were known and mtime was old enough when read; see racyWindow
	id      string // the article's ID, if it loaded
	reason  string // why it could not be loaded, if it did not
	mark    string // short hash identifying this bad version, for the reported state
}

// seedEntry is a file of the folder.
type seedEntry struct{ key, path string }

// dirError is a subfolder that could not be read.
type dirError struct {
	key, path string // key ends in "/"
	err       error
}

// listSeeds lists the files in dir and its subfolders with the rules of
// briefing.LoadPaths (briefing.ArticleFiles), each with its key. An error
// reading dir itself is returned; errors reading subfolders are listed,
// with whatever entries could be read.
func listSeeds(dir string) ([]seedEntry, []dirError, error) {
	paths, unreadable := briefing.ArticleFiles(dir)
	var bad []dirError
	for _, u := range unreadable {
		if u.Path == dir {
			return nil, nil, u.Err
		}
		bad = append(bad, dirError{key: keyOf(dir, u.Path) + "/", path: u.Path, err: u.Err})
	}
	files := make([]seedEntry, len(paths))
	for i, p := range paths {
		files[i] = seedEntry{key: keyOf(dir, p), path: p}
	}
	return files, bad, nil
}

// keyOf is the store key of a path inside dir: "seeds/" and the path
// relative to dir, with forward slashes.
func keyOf(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		rel = path
	}
	return KeyPrefix + filepath.ToSlash(rel)
}

func (s *Seeds) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Seeds) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Seeds) interval() time.Duration {
	if s.Interval <= 0 {
		return DefaultInterval
	}
	return s.Interval
}

// load loads a file of the folder. A symbolic link is followed only if it
// resolves inside the folder (briefing.LoadOptions.Root).
func (s *Seeds) load(path string) (*briefing.Article, error) {
	opt := s.Load
	opt.Root = s.Dir
	if s.loadFile != nil {
		return s.loadFile(path, opt)
	}
	return briefing.LoadFile(path, opt)
}

// analyzeSafe analyzes a, turning a panic of the engine into an error so
// that one odd file cannot stop the bot (again at every start).
func (s *Seeds) analyzeSafe(a *briefing.Article) (an *briefing.Analysis, err error) {
	defer func() {
		if r := recover(); r != nil {
			an, err = nil, fmt.Errorf("analysis failed: %v", r)
		}
	}()
	if s.analyze != nil {
		return s.analyze(a, s.Brief), nil
	}
	return briefing.Analyze(a, s.Brief), nil
}

// LeaseName is the lease of the replica that syncs the seeds folder.
const LeaseName = "seeds"

// Sync scans the folder once and brings the store's seed keys in step
// with it, if this replica holds the seeds' lease (LeaseName), which it
// takes if nobody holds it and keeps from one sync to the next: with
// several replicas on one database, one syncs the folder, and another
// takes it over when that one stops (its lease expires). Every replica
// must see the same folder. A replica that does not hold the lease does
// nothing and returns a zero Result. Syncing, it does this:
//
//   - a new or changed file is loaded, analyzed and stored under its key
//     (see the package documentation); a file whose article ID is the one
//     the store already holds for its key is not analyzed again, and a
//     file whose size and modification time are those of the last sync by
//     this Seeds is not even read;
//   - the key of a file that disappeared, or that can no longer be loaded,
//     is removed, so its article becomes inactive;
//   - a file that cannot be loaded is logged at warn level once per
//     version of the file (size, modification time and reason), across
//     syncs and restarts: what was reported is kept in the store's state
//     under reportedStateKey, and forgotten once the file loads or is gone.
//
// Keys under a subfolder that cannot be read are left alone. A folder that
// is missing, not a folder or unreadable is an error, and then nothing in
// the store changes. A store error ends the sync early with what was done
// so far; the next sync picks up the rest.
func (s *Seeds) Sync(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Store == nil {
		return Result{}, errors.New("seeds: no store")
	}
	var (
		res Result
		err error
	)
	ran, prev, lerr := s.Store.HoldLease(ctx, LeaseName, s.replica(), s.leaseTTL(), true, func(ctx context.Context) {
		res, err = s.sync(ctx)
	})
	switch {
	case lerr != nil:
		return res, fmt.Errorf("seeds: %w", lerr)
	case !ran:
		s.log().Debug("seeds: another replica syncs the seeds folder", "replica", prev.Holder)
	case prev.Holder != "" && prev.Holder != s.replica():
		s.log().Info("seeds: took over the seeds folder from a replica that stopped syncing it (its lease expired)",
			"from", prev.Holder, "replica", s.replica())
	}
	return res, err
}

func (s *Seeds) replica() string {
	if s.Replica == "" {
		return "briefbot"
	}
	return s.Replica
}

func (s *Seeds) leaseTTL() time.Duration {
	if s.LeaseTTL <= 0 {
		return 30 * time.Second
	}
	return s.LeaseTTL
}

// sync is Sync, holding the lease.
func (s *Seeds) sync(ctx context.Context) (Result, error) {
	var res Result
	if info, err := os.Stat(s.Dir); err != nil {
		return res, folderError(s.Dir, err)
	} else if !info.IsDir() {
		return res, fmt.Errorf("seeds: folder %s: not a folder", s.Dir)
	}
	files, dirErrs, err := listSeeds(s.Dir)
	if err != nil {
		return res, folderError(s.Dir, err)
	}
	keys, err := s.Store.Keys(ctx)
	if err != nil {
		return res, fmt.Errorf("seeds: %w", err)
	}
	reported, err := s.loadReported(ctx)
	if err != nil {
		return res, fmt.Errorf("seeds: %w", err)
	}
	if s.files == nil {
		s.files = make(map[string]fileState)
	}

	r := syncRun{
		Seeds:    s,
		cpus:     make(chan struct{}, runtime.GOMAXPROCS(0)),
		keys:     keys,
		reported: reported,
		present:  make(map[string]bool, len(files)),
		next:     make(map[string]string),
		res:      &res,
	}
	err = r.run(ctx, files, dirErrs)
	if err == nil {
		s.failedAt = 0 // the next sync may try whole batches again
	}
	if serr := r.saveReported(ctx, err == nil); serr != nil && err == nil {
		err = serr
	}
	s.unmerged += res.Added + res.Changed
	if res.changed() {
		s.log().Info("seeds: synced", "added", res.Added, "changed", res.Changed, "removed", res.Removed,
			"unchanged", res.Unchanged, "bad", res.Bad)
	}
	return res, err
}

// folderError reports that the folder dir cannot be read. Its message
// leaves out the failed operation, so that the same condition gives the
// same message (Watch logs a message once) whether it was met by stat or
// by reading the folder.
func folderError(dir string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("seeds: folder %s: %w", dir, err)
}

// syncRun is the state of one Sync.
type syncRun struct {
	*Seeds
	keys         map[string]string // the store's source keys and article IDs
	reported     map[string]string // reportedStateKey as read
	present      map[string]bool   // keys of the files seen (done or not)
	done         map[string]bool   // keys of the files fully handled
	next         map[string]string // new reported entries for the files handled
	protected    []string          // key prefixes of unreadable subfolders
	cpus         chan struct{}     // a token per CPU, held while examining a file or storing a batch
	pending      []pendingPut      // analysed, to be stored with the next flush
	pendingBytes int               // the length of their bodies
	flushes      int               // batches stored so far
	res          *Result
}

// run handles the files and subfolder errors, then removes the keys of
// files that are gone. It stops at the first store or context error.
func (r *syncRun) run(ctx context.Context, files []seedEntry, dirErrs []dirError) error {
	r.done = make(map[string]bool, len(files))
	for _, d := range dirErrs {
		r.protected = append(r.protected, d.key)
		r.res.Bad++
		r.report(d.key, d.path, reasonOf(d.err), markOf(0, time.Time{}, reasonOf(d.err)))
		r.done[d.key] = true
	}
	jobs := make([]*fileJob, len(files))
	for i, f := range files {
		j := &fileJob{f: f, finished: make(chan struct{})}
		j.cur, j.hasKey = r.keys[f.key]
		j.st, j.stKnown = r.files[f.key]
		jobs[i] = j
	}
	handled, stop := r.examineAhead(jobs)
	defer stop()
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		<-j.finished
		err := r.file(ctx, j)
		handled(j)
		if err != nil {
			return err
		}
		j.work = fileWork{} // let the analysis go once handled
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	for key := range r.keys {
		if !strings.HasPrefix(key, KeyPrefix) || r.present[key] || r.isProtected(key) {
			continue
		}
		if err := r.remove(ctx, key); err != nil {
			return err
		}
	}
	for key := range r.files {
		if !r.present[key] && !r.isProtected(key) {
			delete(r.files, key)
		}
	}
	return nil
}

// examineAhead runs examine for the jobs, in order, on as many workers as
// there are CPUs, ahead of the sync, which handles them in order and calls
// handled after each: at most readAhead jobs and readAheadBytes of
// analysed text ahead of it, so that a folder of large files holds a few
// of them in memory, not hundreds. A worker examines a job holding one of
// r.cpus, as the sync stores a batch on SQLite (flush): while it stores,
// one worker fewer runs. stop ends the workers (after the jobs they are
// on).
func (r *syncRun) examineAhead(jobs []*fileJob) (handled func(*fileJob), stop func()) {
	var (
		next  int // the next job to take
		ahead struct {
			sync.Mutex
			cond        *sync.Cond
			jobs, bytes int // taken and not yet handled
			quit        bool
		}
		wg sync.WaitGroup
	)
	ahead.cond = sync.NewCond(&ahead.Mutex)
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ahead.Lock()
				// The jobs ahead are done or being done: the sync handles
				// them, in order, and makes room.
				for !ahead.quit && next < len(jobs) && ahead.jobs > 0 && (ahead.jobs >= readAhead || ahead.bytes >= readAheadBytes) {
					ahead.cond.Wait()
				}
				if ahead.quit || next >= len(jobs) {
					ahead.Unlock()
					return
				}
				j := jobs[next]
				next++
				ahead.jobs++
				ahead.Unlock()

				r.withCPU(func() { j.work = r.examine(j) })
				if j.work.an != nil {
					j.size = len(j.work.an.Article.Body)
				}
				ahead.Lock()
				ahead.bytes += j.size
				ahead.Unlock()
				close(j.finished)
			}
		}()
	}
	handled = func(j *fileJob) {
		ahead.Lock()
		ahead.jobs--
		ahead.bytes -= j.size
		ahead.cond.Broadcast()
		ahead.Unlock()
	}
	stop = func() {
		ahead.Lock()
		ahead.quit = true
		ahead.cond.Broadcast()
		ahead.Unlock()
		wg.Wait()
	}
	return handled, stop
}

// readAhead and readAheadBytes bound how far the workers of a sync may
// examine files ahead of it: enough to keep every CPU busy while the sync
// writes a batch, and a few large articles at most.
const (
	readAhead      = 2 * putBatch
	readAheadBytes = 8 << 20
)

// withCPU runs f holding one of the sync's CPU tokens (r.cpus), given
// back even if f panics.
func (r *syncRun) withCPU(f func()) {
	r.cpus <- struct{}{}
	defer func() { <-r.cpus }()
	f()
}

func (r *syncRun) isProtected(key string) bool {
	for _, p := range r.protected {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// fileJob is a file to sync, with what the sync knew of its key when it
// started (read before any file is handled, so that workers reading it
// never race with the sync's updates).
type fileJob struct {
	f        seedEntry
	cur      string // the article ID the store holds for the key
	hasKey   bool
	st       fileState // as of the last sync
	stKnown  bool
	work     fileWork
	size     int           // the length of the analysed body, if any
	finished chan struct{} // closed when work is done
}

// fileWork is what examine found out about a file: the expensive part of
// syncing it (reading, loading and analysing), which workers do ahead of
// the sync, in parallel.
type fileWork struct {
	gone bool // removed since the folder was listed
	st   fileState
	an   *briefing.Analysis // nil if unchanged or bad
	prep *store.Prepared    // store.Prepare(an), if it could be made
}

// examine reads, loads and analyses the file of j if the sync needs to.
// It only reads the sync's state (j's snapshot of it), so that workers
// may run it for many files at once.
func (r *syncRun) examine(j *fileJob) fileWork {
	info, statErr := os.Stat(j.f.path)
	if statErr != nil && errors.Is(statErr, fs.ErrNotExist) {
		if _, err := os.Lstat(j.f.path); errors.Is(err, fs.ErrNotExist) {
			return fileWork{gone: true}
		}
	}
	cur, hasKey := j.cur, j.hasKey
	st, ok := j.st, j.stKnown
	usable := ok && statErr == nil && st.trusted &&
		st.size == info.Size() && st.mtime.Equal(info.ModTime()) &&
		(st.reason != "" || (hasKey && cur == st.id))
	var a *briefing.Article
	if !usable {
		st = fileState{}
		if statErr == nil {
			st.size, st.mtime = info.Size(), info.ModTime()
		}
		readAt := time.Now() // the file system's clock, not s.Now
		var err error
		a, err = r.load(j.f.path)
		if err != nil {
			st.reason = reasonOf(err)
			st.mark = markOf(st.size, st.mtime, st.reason)
		} else {
			st.id = a.ID
		}
		st.trusted = statErr == nil && readAt.Sub(st.mtime) > racyWindow
	}
	if st.reason == "" && hasKey && cur == st.id {
		return fileWork{st: st} // unchanged
	}
	if st.reason != "" {
		return fileWork{st: st}
	}
	an, err := r.analyzeSafe(a)
	if err != nil {
		st.reason = err.Error()
		st.mark = markOf(st.size, st.mtime, st.reason)
		return fileWork{st: st}
	}
	// What storing makes of the analysis is made here too, on the
	// workers: the sync, which stores the batches, then has only the
	// database's part to do. (An error is the store's to report, when
	// it puts the article without it.)
	prep, _ := store.Prepare(an)
	return fileWork{st: st, an: an, prep: prep}
}

// file syncs one file with what examine found.
func (r *syncRun) file(ctx context.Context, j *fileJob) error {
	w := j.work
	if w.gone {
		return nil // removed since the folder was listed: gone
	}
	f, st, hasKey, cur := j.f, w.st, j.hasKey, j.cur
	r.present[f.key] = true

	if st.reason == "" && hasKey && cur == st.id {
		r.res.Unchanged++
		r.files[f.key] = st
		r.done[f.key] = true
		return nil
	}
	if st.reason == "" {
		r.pending = append(r.pending, pendingPut{
			put: store.ArticlePut{Key: f.key, Analysis: w.an, Now: r.now(), Prepared: w.prep}, path: f.path, hasKey: hasKey, st: st,
		})
		r.pendingBytes += len(w.an.Article.Body)
		if len(r.pending) >= min(r.batchSize(), firstBatch<<r.flushes) || r.pendingBytes >= putBatchBytes {
			return r.flush(ctx)
		}
		return nil
	}

	// A bad file: what the key held, if anything, is no longer there.
	r.res.Bad++
	if hasKey {
		if err := r.remove(ctx, f.key); err != nil {
			return err
		}
	}
	r.report(f.key, f.path, st.reason, st.mark)
	r.files[f.key] = st
	r.done[f.key] = true
	return nil
}

// putBatch is the most articles a sync stores in one transaction, and
// putBatchBytes the most text (it stops at the article that reaches it). A
// transaction per article would make a first start on thousands of files
// bound by commits; a batch holds the write lock for a fraction of a
// second (storing takes about 0.4 s per MB of articles, most of it
// indexing them), which other writers wait out.
const (
	putBatch      = 200
	putBatchBytes = 1 << 20
)

// firstBatch is the most articles the first batch of a sync stores, and
// each batch after it may store twice as many as the one before, up to
// the batch size: the sync stores its first batch as soon as the workers
// have analysed a few files, rather than waiting, idle, for a whole
// batch of them (on a first start, storing is the slower side, and every
// moment it waits adds to the whole).
const firstBatch = 25

// pendingPut is an analysed file waiting to be stored with its batch.
type pendingPut struct {
	put    store.ArticlePut
	path   string
	hasKey bool
	st     fileState
}

// flush stores the files analysed since the last flush, in one
// transaction, and only then counts them as done: a sync that stops
// before (an error, or the process killed) has stored none of them, and
// the next sync reads them again.
func (r *syncRun) flush(ctx context.Context) error {
	if len(r.pending) == 0 {
		return nil
	}
	puts := make([]store.ArticlePut, len(r.pending))
	for i, p := range r.pending {
		puts[i] = p.put
	}
	put := r.Store.PutArticles
	if r.putArticles != nil {
		put = r.putArticles
	}
	// Storing a batch is the one part of a sync that cannot be shared
	// out. On SQLite, where it is the process's own CPU work, it holds a
	// CPU token: it waits for one worker to finish its file, and then that
	// worker waits for it, instead of the Go scheduler sharing the CPUs
	// out evenly (the batch's writer, one goroutine of three, had got
	// about two thirds of a CPU on a machine of two). PostgreSQL's batch
	// mostly waits on the network, so the workers keep every CPU.
	var added []bool
	var err error
	if r.Store.Postgres() {
		added, err = put(ctx, puts)
	} else {
		r.withCPU(func() { added, err = put(ctx, puts) })
	}
	if err != nil {
		r.batch, r.failedAt = max(1, len(puts)/2), len(puts)
		first, last := r.pending[0].path, r.pending[len(r.pending)-1].path
		r.pending, r.pendingBytes = r.pending[:0], 0
		if first == last {
			return fmt.Errorf("seeds: %s: %w", first, err)
		}
		return fmt.Errorf("seeds: %s to %s: %w", first, last, err)
	}
	for i, p := range r.pending {
		switch {
		case !added[i]: // another process got there first
			r.res.Unchanged++
		case p.hasKey:
			r.res.Changed++
		default:
			r.res.Added++
		}
		r.files[p.put.Key] = p.st
		r.done[p.put.Key] = true
	}
	r.pending, r.pendingBytes = r.pending[:0], 0
	r.flushes = min(r.flushes+1, 16)
	r.batch = min(putBatch, 2*r.batchSize())
	if r.failedAt > 0 {
		r.batch = max(1, min(r.batch, r.failedAt-1))
	}
	return nil
}

// batchSize is the most articles the next flush stores (see Seeds.batch).
func (r *syncRun) batchSize() int {
	if r.batch <= 0 {
		return putBatch
	}
	return r.batch
}

// remove removes the source key from the store.
func (r *syncRun) remove(ctx context.Context, key string) error {
	err := r.Store.RemoveKey(ctx, key)
	switch {
	case err == nil:
		r.res.Removed++
	case errors.Is(err, fs.ErrNotExist): // removed by another process
	default:
		return fmt.Errorf("seeds: %w", err)
	}
	return nil
}

// report logs a bad file unless this version of it was reported before.
func (r *syncRun) report(key, path, reason, mark string) {
	if r.reported[key] != mark {
		r.log().Warn("seeds: skipped bad file", "file", path, "reason", reason)
	}
	r.next[key] = mark
}

// loadReported reads the reported bad files from the store's state. A
// value that is not a JSON object is treated as empty (and replaced).
func (s *Seeds) loadReported(ctx context.Context) (map[string]string, error) {
	v, err := s.Store.GetState(ctx, reportedStateKey)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return map[string]string{}, nil
	}
	return m, nil
}

// saveReported stores the reported bad files if they changed: those found
// bad by this sync, and, from before, those in subfolders that could not
// be read and, if the sync did not finish, those not handled yet. Files
// that load again or are gone are forgotten.
func (r *syncRun) saveReported(ctx context.Context, complete bool) error {
	m := maps.Clone(r.next)
	for key, mark := range r.reported {
		if _, ok := m[key]; ok || r.done[key] {
			continue
		}
		if !complete || r.isProtected(key) {
			m[key] = mark
		}
	}
	if maps.Equal(m, r.reported) {
		return nil
	}
	data, err := json.Marshal(m) // sorted keys
	if err != nil {
		return fmt.Errorf("seeds: %w", err)
	}
	if err := r.Store.SetState(ctx, reportedStateKey, string(data)); err != nil {
		return fmt.Errorf("seeds: %w", err)
	}
	return nil
}

// reasonOf returns why a file could not be loaded, without its path.
func reasonOf(err error) string {
	var le *briefing.LoadError
	if errors.As(err, &le) {
		return strings.TrimPrefix(le.Error(), le.Path+": ")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// markOf returns a short hash of a bad file's version: its size,
// modification time and the reason it is bad.
func markOf(size int64, mtime time.Time, reason string) string {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(size, 10)))
	h.Write([]byte{0})
	if !mtime.IsZero() {
		h.Write([]byte(strconv.FormatInt(mtime.UnixNano(), 10)))
	}
	h.Write([]byte{0})
	h.Write([]byte(reason))
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// mergeIndex merges the store's search index (store.MergeSearchIndex) once
// syncs have stored a batch of articles or more since it last did: a sync
// leaves the index in a piece per batch, and every search reads them all.
// Watch does it after its syncs, so that a first start (Sync, then Watch)
// serves before it: about 0.1 to 0.15 s of CPU per 1,000 articles stored.
func (s *Seeds) mergeIndex(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unmerged < putBatch {
		return
	}
	if err := s.Store.MergeSearchIndex(ctx); err != nil {
		if ctx.Err() == nil {
			s.log().Warn("seeds: merging the search index", "err", err)
		}
		return
	}
	s.unmerged = 0
}

// Watch syncs at once, then every Interval until ctx is done, and returns
// nil then. After a sync it merges the search index if syncs have stored
// a batch of articles since it last did (mergeIndex). Errors are logged,
// never fatal: a failing sync (a missing folder, say) is logged at error
// level once until its error changes, and its recovery at info level.
func (s *Seeds) Watch(ctx context.Context) error {
	t := time.NewTicker(s.interval())
	defer t.Stop()
	defer func() { // the next replica need not wait for the lease to expire
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.Store.ReleaseLease(rctx, LeaseName, s.replica())
	}()
	var lastErr string
	for {
		_, err := s.Sync(ctx)
		if ctx.Err() != nil {
			return nil
		}
		switch {
		case err != nil && err.Error() != lastErr:
			s.log().Error("seeds: sync failed", "dir", s.Dir, "err", err)
			lastErr = err.Error()
		case err == nil && lastErr != "":
			s.log().Info("seeds: sync recovered", "dir", s.Dir)
			lastErr = ""
		}
		s.mergeIndex(ctx)
		if s.afterSync != nil {
			s.afterSync(err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
