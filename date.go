package faultline

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date known to the precision a text supports: a year
// ("2025"), a month ("2025-03") or a day ("2025-03-11"). Month and Day are
// zero when unknown. The zero Date is "no date".
type Date struct {
	Year, Month, Day int
}

// Date precisions, as returned by Date.Precision.
const (
	NoDate       = 0
	YearPrecise  = 1
	MonthPrecise = 2
	DayPrecise   = 3
)

// ParseDate reads an ISO 8601 calendar date of partial precision: YYYY,
// YYYY-MM or YYYY-MM-DD. Anything else, or a month or day out of range,
// fails with EINVALID.
func ParseDate(s string) (Date, error) {
	bad := func() (Date, error) {
		return Date{}, Errorf(EINVALID, "date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	num := func(part string) (int, bool) {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(part)
		return n, err == nil
	}
	var d Date
	var ok bool
	switch len(s) {
	case 4, 7, 10:
	default:
		return bad()
	}
	if d.Year, ok = num(s[:4]); !ok || d.Year == 0 {
		return bad()
	}
	if len(s) >= 7 {
		if s[4] != '-' {
			return bad()
		}
		if d.Month, ok = num(s[5:7]); !ok || d.Month < 1 || d.Month > 12 {
			return bad()
		}
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return bad()
		}
		if d.Day, ok = num(s[8:10]); !ok || d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
			return bad()
		}
	}
	return d, nil
}

// daysIn returns the number of days of a month.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision returns NoDate, YearPrecise, MonthPrecise or DayPrecise.
func (d Date) Precision() int {
	switch {
	case d.Year == 0:
		return NoDate
	case d.Month == 0:
		return YearPrecise
	case d.Day == 0:
		return MonthPrecise
	}
	return DayPrecise
}

// String returns the date in ISO 8601 at its precision, "" for no date.
func (d Date) String() string {
	switch d.Precision() {
	case YearPrecise:
		return fmt.Sprintf("%04d", d.Year)
	case MonthPrecise:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case DayPrecise:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// FirstDay returns the first day the date covers as YYYY-MM-DD: the 1st of
// January for a year, the 1st of the month for a month.
func (d Date) FirstDay() string {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, m, day)
}

// LastDay returns the last day the date covers as YYYY-MM-DD.
func (d Date) LastDay() string {
	m := d.Month
	if m == 0 {
		m = 12
	}
	day := d.Day
	if day == 0 {
		day = daysIn(d.Year, m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, m, day)
}

// Covers reports whether e lies within d: d is e at the same or a coarser
// precision ("2025-03" covers "2025-03-11" and itself).
func (d Date) Covers(e Date) bool {
	if d.IsZero() || e.Precision() < d.Precision() {
		return false
	}
	return d.Year == e.Year && (d.Month == 0 || d.Month == e.Month) && (d.Day == 0 || d.Day == e.Day)
}

// DatesCompatible reports whether two dates given as text may denote the
// same day: one is the other at a coarser precision ("2025-03" and
// "2025-03-11"). Text that is not a date is compatible only with itself.
func DatesCompatible(a, b string) bool {
	da, errA := ParseDate(a)
	db, errB := ParseDate(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return da.Covers(db) || db.Covers(da)
}

// ParseDateRange reads the bounds of a date filter, each a partial date or
// "", and returns the inclusive range of days they cover as YYYY-MM-DD:
// from "2024" to "2025" is 2024-01-01 to 2025-12-31. An empty bound is
// returned empty (open). A range that ends before it starts fails with
// EINVALID.
func ParseDateRange(from, to string) (lo, hi string, err error) {
	if from != "" {
		d, err := ParseDate(from)
		if err != nil {
			return "", "", Errorf(EINVALID, "from: %w", err)
		}
		lo = d.FirstDay()
	}
	if to != "" {
		d, err := ParseDate(to)
		if err != nil {
			return "", "", Errorf(EINVALID, "to: %w", err)
		}
		hi = d.LastDay()
	}
	if lo != "" && hi != "" && hi < lo {
		return "", "", Errorf(EINVALID, "date range %s to %s ends before it starts", from, to)
	}
	return lo, hi, nil
}

// DateOverlaps reports whether the date given as text overlaps the
// inclusive day range [lo, hi] (YYYY-MM-DD, "" for an open end), as
// ParseDateRange returns it. Text that is not a date overlaps only a range
// open at both ends.
func DateOverlaps(date, lo, hi string) bool {
	if lo == "" && hi == "" {
		return true
	}
	d, err := ParseDate(date)
	if err != nil {
		return false
	}
	return (lo == "" || d.LastDay() >= lo) && (hi == "" || d.FirstDay() <= hi)
}
