package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, spec, tz string) *Schedule {
	t.Helper()
	s, err := Parse(spec, tz)
	if err != nil {
		t.Fatalf("Parse(%q, %q): %v", spec, tz, err)
	}
	return s
}

func TestNext(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		spec, tz, from string
		want           []string
	}{
		{"0 8 * * *", "UTC", "2026-11-27T07:00:00Z", []string{"2026-11-27T08:00:00Z", "2026-11-28T08:00:00Z", "2026-11-29T08:00:00Z"}},
		{"0 8 * * *", "Europe/Paris", "2026-11-27T00:00:00Z", []string{"2026-11-27T07:00:00Z", "2026-11-28T07:00:00Z", "2026-11-29T07:00:00Z"}},
		{"30 7 * * 1-5", "UTC", "2026-11-27T08:00:00Z", []string{"2026-11-30T07:30:00Z", "2026-12-01T07:30:00Z", "2026-12-02T07:30:00Z"}},
		{"*/10 * * * * *", "UTC", "2026-11-27T08:00:03Z", []string{"2026-11-27T08:00:10Z", "2026-11-27T08:00:20Z", "2026-11-27T08:00:30Z"}},
		{"@daily", "UTC", "2026-11-27T08:00:00Z", []string{"2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z"}},
		{"@every 90m", "UTC", "2026-11-27T08:10:00Z", []string{"2026-11-27T09:00:00Z", "2026-11-27T10:30:00Z", "2026-11-27T12:00:00Z"}},
		// DST gap: in New York, 02:30 does not exist on 8 March 2026, so
		// that day is skipped.
		{"30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", []string{"2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z", "2026-03-11T06:30:00Z"}},
		// DST overlap: 01:30 happens twice on 1 November 2026; it fires at both.
		{"30 1 * * *", "America/New_York", "2026-11-01T00:00:00Z", []string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z"}},
	}
	for _, tt := range tests {
		s := mustParse(t, tt.spec, tt.tz)
		got := s.NextN(utc(tt.from), 3)
		if len(got) != len(tt.want) {
			t.Fatalf("%s %s: got %v", tt.spec, tt.tz, got)
		}
		for i, w := range tt.want {
			if !got[i].Equal(utc(w)) {
				t.Errorf("%s (%s) from %s: run %d = %s, want %s", tt.spec, tt.tz, tt.from, i, got[i].UTC().Format(time.RFC3339), w)
			}
			if got[i].Location() != s.Loc {
				t.Errorf("%s: run %d in %v, want the schedule's zone %v", tt.spec, i, got[i].Location(), s.Loc)
			}
		}
	}
}

// Bad specs and zones are refused with a reason, and never panic (the cron
// parser panics on some inputs).
func TestParseErrors(t *testing.T) {
	tests := []struct{ spec, tz, want string }{
		{"", "UTC", "empty"},
		{"0 8 * *", "UTC", "5 fields"},
		{"0 8 * * * * *", "UTC", "got 7"},
		{"61 * * * *", "UTC", "cannot parse"},
		{"0 25 * * *", "UTC", "cannot parse"},
		{"CRON_TZ=", "UTC", "time zone separately"},
		{"CRON_TZ=UTC", "UTC", "time zone separately"},
		{"TZ=Europe/Paris 0 8 * * *", "UTC", "time zone separately"},
		{"@every", "UTC", "duration"},
		{"@every 10ms", "UTC", "at least 1s"},
		{"@sometimes", "UTC", "cannot parse"},
		{"0 0 30 2 *", "UTC", "never fires"},
		{"0 8 * * *", "Mars/Olympus", "unknown time zone"},
		{"0 8 * * *", "Local", "unknown time zone"},
		{"0 8 * * *", "../../etc/passwd", "unknown time zone"},
		{"0 8 * * * ?", "UTC", ""},
	}
	for _, tt := range tests {
		_, err := Parse(tt.spec, tt.tz)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Parse(%q, %q): %v", tt.spec, tt.tz, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q, %q) = %v, want an error about %q", tt.spec, tt.tz, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0 8 * * *", "CRON_TZ=", "@every 1h", "*/5 * * * * *", "0 0 30 2 *", "@daily", "1-2/0 * * * *"} {
		f.Add(s, "UTC")
	}
	f.Fuzz(func(t *testing.T, spec, tz string) {
		s, err := Parse(spec, tz)
		if err == nil {
			s.NextN(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 2)
		}
	})
}

func TestSubMinute(t *testing.T) {
	for _, c := range []struct {
		spec string
		want bool
	}{
		{"0-3 3 * * * *", true}, // four runs in four seconds, once a day
		{"* * * * * *", true},
		{"*/30 * * * * *", true},
		{"0,30 * * * * *", true},
		{"0,59 0 0 1 1 *", true}, // once a year, twice within a minute
		{"58-59 * * * * *", true},
		{"1-2/1 * * * * *", true},
		{"0-59/59 * * * * *", true}, // seconds 0 and 59
		{"@every 30s", true},
		{"@every 59s", true},
		{"0 * * * * *", false}, // every minute, at second 0
		{"59 * * * * *", false},
		{"30 0-3 * * * *", false},    // four minutes in a row: a minute apart
		{"0-59/60 * * * * *", false}, // second 0 only
		{"5/60 * * * * *", false},    // second 5 only
		{"7 */2 * * * *", false},
		{"0 0,59 * * * *", false},
		{"* * * * *", false}, // five fields: second 0
		{"*/5 * * * *", false},
		{"0 8 * * 1-5", false},
		{"@every 1m", false},
		{"@every 60s", false},
		{"@every 90s", false},
		{"@hourly", false},
		{"@daily", false},
		{"@midnight", false},
		{"@weekly", false},
		{"@monthly", false},
		{"@yearly", false},
		{"@annually", false},
	} {
		if got := mustParse(t, c.spec, "").SubMinute(); got != c.want {
			t.Errorf("SubMinute(%q) = %v, want %v", c.spec, got, c.want)
		}
	}
}

// SubMinute agrees with the runs themselves: over many specs, from several
// starts (daylight saving changes included, in zones that shift by an hour
// and by half an hour), two runs come less than a minute apart exactly
// when SubMinute says so.
func TestSubMinuteMatchesTheRuns(t *testing.T) {
	seconds := []string{"0", "30", "59", "0,30", "0-3", "*/20", "5/60", "58-59", "*"}
	minutes := []string{"*", "0", "*/2", "0,59", "30", "58-59"}
	hours := []string{"*", "2", "1-3", "23"}
	zones := []string{"UTC", "America/New_York", "Australia/Lord_Howe"}
	starts := []time.Time{
		time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC),   // New York springs forward at 07:00 UTC
		time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC),  // and falls back at 06:00 UTC
		time.Date(2026, 4, 4, 14, 0, 0, 0, time.UTC),  // Lord Howe falls back half an hour at 15:00 UTC
		time.Date(2026, 10, 3, 15, 0, 0, 0, time.UTC), // and springs forward at 15:30 UTC
	}
	for _, sec := range seconds {
		for _, minute := range minutes {
			for _, hour := range hours {
				spec := sec + " " + minute + " " + hour + " * * *"
				for _, zone := range zones {
					s := mustParse(t, spec, zone)
					gap := time.Duration(1<<63 - 1)
					for _, start := range starts {
						runs := s.NextN(start, 100)
						for i := 1; i < len(runs); i++ {
							gap = min(gap, runs[i].Sub(runs[i-1]))
						}
					}
					if (gap < time.Minute) != s.SubMinute() {
						t.Errorf("%q in %s: least gap %v over the runs, SubMinute %v", spec, zone, gap, s.SubMinute())
					}
				}
			}
		}
	}
}
