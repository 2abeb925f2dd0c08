package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// porterStem stems words as SQLite's porter tokenizer does.
func TestPorterStemMatchesSQLite(t *testing.T) {
	var words []string
	seen := map[string]bool{}
	add := func(text string) {
		for _, tk := range tokens(text) {
			if !seen[tk.word] {
				seen[tk.word] = true
				words = append(words, tk.word)
			}
		}
	}
	add(`generalization relational conditional valenci hesitanci digitizer conformabli radicalli
		differentli vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness
		callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical
		hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible irritant
		replacement adjustment dependent adoption homologou communism activate angulariti homologous
		effective bowdlerize probate rate cease controll roll caresses ponies ties caress cats feed agreed
		plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing
		filing happy sky generate generates generated generating general generally generic generous
		elections officials said saying says hamas trump’s`)
	for _, dir := range []string{"../seeds", "../bot/testdata", "../briefing/testdata/eval/dev"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			add(string(data))
		}
	}
	s := newTestStore(t)
	if _, err := s.db.sql.Exec(`CREATE TEMP TABLE words (w TEXT)`); err != nil {
		t.Fatal(err)
	}
	// One connection, for the temporary tables.
	conn, err := s.db.sql.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE VIRTUAL TABLE temp.stems USING fts5 (w, tokenize = 'porter unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE temp.stemvocab USING fts5vocab (temp, stems, 'instance')`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range words {
		if _, err := conn.ExecContext(ctx, `INSERT INTO temp.stems (rowid, w) VALUES (?, ?)`, i+1, w); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, `SELECT doc, term FROM temp.stemvocab`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked, bad := 0, 0
	for rows.Next() {
		var doc int
		var term string
		if err := rows.Scan(&doc, &term); err != nil {
			t.Fatal(err)
		}
		w := words[doc-1]
		checked++
		if got := porterStem(w); got != term {
			bad++
			if bad < 20 {
				t.Errorf("porterStem(%q) = %q; SQLite says %q", w, got, term)
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d words checked", checked)
	}
	t.Logf("%d words, %d stemmed differently", checked, bad)
}
