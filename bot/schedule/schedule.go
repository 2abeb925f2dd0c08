// Package schedule parses the cron schedules channels subscribe with
// ([Parse] gives a [Schedule]), and says when they fire, in the channel's
// own time zone.
//
// It wraps github.com/robfig/cron/v3's parser, which panics on some inputs
// ("CRON_TZ=" with nothing after it): every parse is guarded, and user
// input never reaches the parser unchecked.
package schedule

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Example is shown in errors to help people write a schedule.
const Example = `"0 8 * * *" (08:00 every day), "30 7 * * 1-5" (07:30 on weekdays), "*/10 * * * * *" (every 10 seconds) or "@daily"`

// Schedule is a parsed cron schedule in a time zone.
type Schedule struct {
	Spec string         // as given, trimmed
	Loc  *time.Location // the zone the spec is read in
	s    cron.Schedule
	step time.Duration // for "@every": slots aligned to multiples of it
}

var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parse parses a cron spec (5 fields, an optional leading seconds field, or
// a descriptor such as "@daily" or "@every 1h") in the IANA time zone tz
// ("" means UTC). The error says what is wrong, for people to read.
func Parse(spec, tz string) (sch *Schedule, err error) {
	spec = strings.Join(strings.Fields(spec), " ")
	loc, err := LoadZone(tz)
	if err != nil {
		return nil, err
	}
	if spec == "" {
		return nil, errors.New("empty schedule")
	}
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, errors.New("give the time zone separately, not inside the schedule")
	}
	if len(spec) > 200 {
		return nil, errors.New("schedule is too long")
	}
	if strings.HasPrefix(spec, "@every") {
		d, err := time.ParseDuration(strings.TrimSpace(strings.TrimPrefix(spec, "@every")))
		if err != nil {
			return nil, fmt.Errorf("@every needs a duration such as 1h or 30m: %w", err)
		}
		if d < time.Second || d%time.Second != 0 {
			return nil, errors.New("@every needs a whole number of seconds, at least 1s")
		}
		return &Schedule{Spec: spec, Loc: loc, step: d}, nil
	}
	if !strings.HasPrefix(spec, "@") {
		if n := len(strings.Fields(spec)); n != 5 && n != 6 {
			return nil, fmt.Errorf("a schedule has 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds field; got %d", n)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			sch, err = nil, fmt.Errorf("cannot parse schedule %q", spec)
		}
	}()
	s, err := parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("cannot parse schedule %q: %s", spec, strings.TrimPrefix(err.Error(), "failed to parse int from "))
	}
	sch = &Schedule{Spec: spec, Loc: loc, s: s}
	// A spec that never fires (February 30th) is refused.
	if sch.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("schedule %q never fires", spec)
	}
	return sch, nil
}

// LoadZone loads an IANA time zone; "" means UTC.
func LoadZone(tz string) (*time.Location, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" || tz == "UTC" {
		return time.UTC, nil
	}
	if strings.ContainsAny(tz, " \t\n") || strings.Contains(tz, "..") || strings.HasPrefix(tz, "/") {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Europe/Paris)", tz)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || strings.EqualFold(tz, "local") {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Europe/Paris)", tz)
	}
	return loc, nil
}

// Next returns the first time the schedule fires strictly after t, in the
// schedule's zone, or the zero time if it never does.
func (s *Schedule) Next(t time.Time) time.Time {
	if s.step > 0 {
		// Aligned to the Unix epoch, so that every process agrees on the slots.
		n := t.Truncate(time.Second).Unix()
		step := int64(s.step / time.Second)
		return time.Unix((n/step+1)*step, 0).In(s.Loc)
	}
	return s.s.Next(t.In(s.Loc))
}

// SubMinute reports whether the schedule can fire twice less than a minute
// apart, reading its fields rather than sampling its next runs, which a
// spec such as "0-3 3 * * * *" (four runs in four seconds, once a day)
// would pass.
//
// "@every d" fires every d. A cron spec fires, in every minute it fires
// in, once at each second of its seconds field: with two seconds or more
// it fires twice within that minute. With one second s, every run falls on
// second s of its own minute, so two runs are a whole number of minutes
// apart, at least one: across a daylight saving change too, since zones
// change their offset by whole minutes, and robfig/cron only returns times
// whose second is in the field. Descriptors (@hourly, @daily, ...) fire at
// second 0 of their minute.
func (s *Schedule) SubMinute() bool {
	if s.step > 0 {
		return s.step < time.Minute
	}
	spec, ok := s.s.(*cron.SpecSchedule)
	if !ok {
		return true // the parser makes nothing else from a spec; refuse what cannot be reasoned about
	}
	const secondBits = 1<<60 - 1 // bits 0 to 59; the field's top bit marks a "*"
	return bits.OnesCount64(spec.Second&secondBits) > 1
}

// NextN returns the next n times the schedule fires after t.
func (s *Schedule) NextN(t time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}
