package store

// Leases: work that one replica at a time may do (polling a feed, syncing
// the seeds folder) is held by the replica doing it, until a time that it
// pushes back while it works. A replica that dies stops renewing: its
// leases expire and another replica takes the work over. Each replica
// also holds a lease on its own name (ReplicaLease) for as long as it
// runs, which tells the others it is alive.
//
// Taking, renewing and releasing are single atomic statements, so at most
// one replica holds a lease at a time, as far as the database's clock of
// each replica agrees (expiries are written by the replicas' clocks: keep
// them synchronized).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Lease is a piece of work held by a replica.
type Lease struct {
	Name    string // "feed:" + URL, "seeds", ReplicaLease + a replica's name
	Holder  string // the replica holding it
	Since   time.Time
	Expires time.Time
}

// ReplicaLease starts the name of the lease each replica holds on its own
// name while it runs.
const ReplicaLease = "replica:"

// TakeLease takes the lease name for holder until now+ttl, if nobody holds
// it or its holder's time is up, or renews it if holder holds it. It
// reports whether holder holds it now, and the lease as it was before
// (zero if there was none): a Holder other than holder means it was taken
// over from a replica that stopped renewing it, or that held it still (ok
// false).
func (s *Store) TakeLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (ok bool, prev Lease, err error) {
	what := fmt.Sprintf("take lease %q for %q", name, holder)
	if holder == "" {
		return false, Lease{}, errors.New("store: " + what + ": need a holder")
	}
	prev, err = s.lease(ctx, name)
	if err != nil {
		return false, Lease{}, fmt.Errorf("store: %s: %w", what, err)
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO leases (name, holder, since, expires) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires,
			since = CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END
		WHERE leases.holder = excluded.holder OR leases.expires <= ?3`,
		name, holder, nanos(now), nanos(now.Add(ttl)))
	if err != nil {
		return false, prev, fmt.Errorf("store: %s: %w", what, markBusy(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, prev, fmt.Errorf("store: %s: %w", what, err)
	}
	return n == 1, prev, nil
}

// ReleaseLease gives up the lease if holder holds it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("store: release lease %q of %q: %w", name, holder, err)
	}
	return nil
}

func (s *Store) lease(ctx context.Context, name string) (Lease, error) {
	l, err := scanLease(s.db.QueryRowContext(ctx, `SELECT `+leaseCols+` FROM leases WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, nil
	}
	return l, err
}

const leaseCols = `name, holder, since, expires`

func scanLease(row scanner) (Lease, error) {
	var (
		l              Lease
		since, expires int64
	)
	err := row.Scan(&l.Name, &l.Holder, &since, &expires)
	l.Since, l.Expires = fromNanos(since), fromNanos(expires)
	return l, err
}

// Leases returns the leases, expired ones included (their holders stopped
// renewing them), by name.
func (s *Store) Leases(ctx context.Context) ([]Lease, error) {
	list, err := queryRows(ctx, s.db, scanLease, `SELECT `+leaseCols+` FROM leases ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: leases: %w", err)
	}
	return list, nil
}

// HoldLease runs work while holder holds the lease name: it takes the
// lease (see TakeLease), renews it every ttl/3 while work runs, and ends
// work's context if it is lost: another replica took it, or it could not
// be renewed before it expired (another replica may take it then). A
// renewal that fails (the database busy: SQLite's write lock held by the
// work's own transaction, say) is tried again at the next tick while the
// lease lasts.
// Without keep the lease is released when work returns; with keep it is
// left to expire, so that holder, coming back for it (renewing it) within
// ttl, keeps the work and no other replica takes it meanwhile. It reports
// whether work ran, and the lease as it was before (see TakeLease).
func (s *Store) HoldLease(ctx context.Context, name, holder string, ttl time.Duration, keep bool,
	work func(ctx context.Context)) (ran bool, prev Lease, err error) {
	ok, prev, err := s.TakeLease(ctx, name, holder, ttl, time.Now())
	if err != nil || !ok {
		return false, prev, err
	}
	wctx, lost := context.WithCancelCause(ctx)
	done := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		until := time.Now().Add(ttl) // held surely until then
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			now := time.Now()
			ok, _, err := s.TakeLease(wctx, name, holder, ttl, now)
			switch {
			case err == nil && ok:
				until = now.Add(ttl)
			case err == nil:
				lost(fmt.Errorf("lease %q taken by another replica", name))
				return
			case !now.Before(until):
				// Not renewed in time (the database busy or away): another
				// replica may hold it now.
				lost(fmt.Errorf("lease %q expired: %w", name, err))
				return
			}
		}
	}()
	work(wctx)
	close(done)
	<-renewed
	lost(nil)
	if !keep {
		// Released even if ctx is done (the bot stopping): the next
		// replica need not wait for it to expire.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.ReleaseLease(rctx, name, holder); err != nil {
			return true, prev, err
		}
	}
	return true, prev, nil
}
