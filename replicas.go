package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/briefbot/briefbot/store"
)

// cmdLeases prints which replica holds what on the database: one line per
// lease (a replica running, a feed being polled, the seeds folder), with
// its holder, since when, and until when unless renewed.
func cmdLeases(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("leases", flag.ContinueOnError)
	if paths, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(paths) > 0 {
		return usageErr("leases takes no arguments\n\n%s", usage)
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	leases, err := st.Leases(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "database %s\n", st.Where())
	if len(leases) == 0 {
		fmt.Fprintln(env.stdout, "no leases: no replica is running")
		return nil
	}
	now := time.Now()
	w := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "WHAT\tHELD BY\tSINCE\tUNTIL")
	for _, l := range leases {
		until := "in " + l.Expires.Sub(now).Round(time.Second).String()
		if !l.Expires.After(now) {
			until = "expired " + now.Sub(l.Expires).Round(time.Second).String() + " ago (its holder stopped)"
		}
		what := l.Name
		if name, ok := strings.CutPrefix(l.Name, store.ReplicaLease); ok {
			what = "replica " + name + " running"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", what, l.Holder, l.Since.Format(time.RFC3339), until)
	}
	return w.Flush()
}
