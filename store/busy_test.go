package store

import (
	"context"
	"errors"
	"testing"
)

// A reservation that fails because another connection holds the write
// lock past the busy timeout says so (ErrBusy), reserves nothing, and
// succeeds when tried again after the lock is released.
func TestReserveSlotBusy(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s, other := openTest(t, path), openTest(t, path)
	s.db.sql.SetMaxOpenConns(1) // so that the shorter busy timeout below holds for every statement
	if _, err := s.db.sql.ExecContext(ctx, `PRAGMA busy_timeout = 50`); err != nil {
		t.Fatal(err)
	}
	tx, err := other.db.sql.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	ok, err := s.ReserveSlot(ctx, "chat", "C1", t0, "me", t0)
	if ok || !errors.Is(err, ErrBusy) {
		t.Fatalf("reserve while another connection writes: %v, %v; want an error matching ErrBusy", ok, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ReserveSlot(ctx, "chat", "C1", t0, "me", t0); !ok || err != nil {
		t.Fatalf("reserve again: %v, %v", ok, err)
	}
	if ok, err := s.ReserveSlot(ctx, "chat", "C1", t0, "me", t0); ok || err != nil {
		t.Fatalf("reserve a third time: %v, %v; want false, nil", ok, err)
	}
}
