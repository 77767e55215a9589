package faultline_test

import (
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in          string
		ok          bool
		prec        int
		first, last string
	}{
		{"2025", true, faultline.YearPrecise, "2025-01-01", "2025-12-31"},
		{"2025-03", true, faultline.MonthPrecise, "2025-03-01", "2025-03-31"},
		{"2024-02", true, faultline.MonthPrecise, "2024-02-01", "2024-02-29"},
		{"2025-02", true, faultline.MonthPrecise, "2025-02-01", "2025-02-28"},
		{"2025-03-11", true, faultline.DayPrecise, "2025-03-11", "2025-03-11"},
		{"2024-02-29", true, faultline.DayPrecise, "2024-02-29", "2024-02-29"},
		{"2025-02-29", false, 0, "", ""},
		{"2025-13", false, 0, "", ""},
		{"2025-00", false, 0, "", ""},
		{"0000", false, 0, "", ""},
		{"25", false, 0, "", ""},
		{"2025-3", false, 0, "", ""},
		{"2025/03", false, 0, "", ""},
		{"+202", false, 0, "", ""},
		{"2025-03-1x", false, 0, "", ""},
		{"", false, 0, "", ""},
	}
	for _, tt := range tests {
		d, err := faultline.ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) err = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if !tt.ok {
			if faultline.ErrorCode(err) != faultline.EINVALID {
				t.Errorf("ParseDate(%q) code %q, want invalid", tt.in, faultline.ErrorCode(err))
			}
			continue
		}
		if d.Precision() != tt.prec || d.FirstDay() != tt.first || d.LastDay() != tt.last || d.String() != tt.in {
			t.Errorf("ParseDate(%q) = %v: precision %d, %s..%s; want %d, %s..%s", tt.in, d, d.Precision(), d.FirstDay(), d.LastDay(), tt.prec, tt.first, tt.last)
		}
	}
}

func TestDatesCompatible(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2025-03", "2025-03-11", true},
		{"2025-03-11", "2025-03", true},
		{"2025", "2025-12-31", true},
		{"2025-03-11", "2025-03-11", true},
		{"2025-03-11", "2025-03-12", false},
		{"2025-03", "2025-04-01", false},
		{"2025-1", "2025-11", false}, // not a date: only itself
		{"spring", "spring", true},
		{"", "2025", false},
	}
	for _, tt := range tests {
		if got := faultline.DatesCompatible(tt.a, tt.b); got != tt.want {
			t.Errorf("DatesCompatible(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseDateRange(t *testing.T) {
	tests := []struct {
		from, to string
		lo, hi   string
		ok       bool
	}{
		{"2024", "2025", "2024-01-01", "2025-12-31", true},
		{"2024-02", "", "2024-02-01", "", true},
		{"", "2024-02", "", "2024-02-29", true},
		{"2025-03-11", "2025-03-11", "2025-03-11", "2025-03-11", true},
		{"2025", "2025-01", "2025-01-01", "2025-01-31", true},
		{"2025-02", "2025", "2025-02-01", "2025-12-31", true},
		{"2026", "2025", "", "", false},
		{"2025-13", "", "", "", false},
		{"", "yesterday", "", "", false},
	}
	for _, tt := range tests {
		lo, hi, err := faultline.ParseDateRange(tt.from, tt.to)
		if (err == nil) != tt.ok || lo != tt.lo || hi != tt.hi {
			t.Errorf("ParseDateRange(%q, %q) = %q, %q, %v; want %q, %q, ok %v", tt.from, tt.to, lo, hi, err, tt.lo, tt.hi, tt.ok)
		}
		if err != nil && faultline.ErrorCode(err) != faultline.EINVALID {
			t.Errorf("ParseDateRange(%q, %q) code %q, want invalid", tt.from, tt.to, faultline.ErrorCode(err))
		}
	}
	for _, tt := range []struct {
		date, lo, hi string
		want         bool
	}{
		{"2025", "2025-06-01", "2025-06-30", true},
		{"2025-07", "2025-06-01", "2025-06-30", false},
		{"2024-12-31", "2025-01-01", "", false},
		{"", "2025-01-01", "", false},
		{"", "", "", true},
	} {
		if got := faultline.DateOverlaps(tt.date, tt.lo, tt.hi); got != tt.want {
			t.Errorf("DateOverlaps(%q, %q, %q) = %v, want %v", tt.date, tt.lo, tt.hi, got, tt.want)
		}
	}
}

// FuzzParseDate: whatever the text, parsing does not panic; a date that
// parses prints back as itself, covers its own first and last day, and
// the range it makes with itself is [first, last].
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025", "2025-03", "2025-03-11", "2024-02-29", "2025-02-29", "9999-12-31", "0001", "2025-1", "２０２５", "2025-03-11T00:00"} {
		f.Add(s, "2024")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d, err := faultline.ParseDate(a)
		if err != nil {
			if faultline.ErrorCode(err) != faultline.EINVALID {
				t.Fatalf("ParseDate(%q): code %q", a, faultline.ErrorCode(err))
			}
			return
		}
		if d.String() != a {
			t.Fatalf("ParseDate(%q).String() = %q", a, d.String())
		}
		first, last := d.FirstDay(), d.LastDay()
		if first > last {
			t.Fatalf("%q: first day %s after last %s", a, first, last)
		}
		for _, day := range []string{first, last} {
			dd, err := faultline.ParseDate(day)
			if err != nil || !d.Covers(dd) {
				t.Fatalf("%q does not cover its day %s (%v)", a, day, err)
			}
		}
		lo, hi, err := faultline.ParseDateRange(a, a)
		if err != nil || lo != first || hi != last || !faultline.DateOverlaps(a, lo, hi) {
			t.Fatalf("ParseDateRange(%q, %q) = %s, %s, %v", a, a, lo, hi, err)
		}
		if lo, hi, err := faultline.ParseDateRange(a, b); err == nil && hi != "" && lo > hi {
			t.Fatalf("ParseDateRange(%q, %q) = %s > %s", a, b, lo, hi)
		}
		if faultline.DatesCompatible(a, b) != faultline.DatesCompatible(b, a) {
			t.Fatalf("DatesCompatible(%q, %q) is not symmetric", a, b)
		}
	})
}
