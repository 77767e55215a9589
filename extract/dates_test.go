package extract_test

import (
	"testing"

	"github.com/faultline-osint/faultline/extract"
)

func TestDates(t *testing.T) {
	tests := []struct {
		text string
		want []string // ISO values, "?-MM" for a year-less month
		qual string   // qualifier of the first date
	}{
		{"a video published on 25 May 2025, possibly", []string{"2025-05-25"}, ""},
		{"On May 25, 2025 the group said", []string{"2025-05-25"}, ""},
		{"In March 2025, BLA staged a raid", []string{"2025-03"}, ""},
		{"designated in 2019. The minister", []string{"2019"}, ""},
		{"active since late 2014 and again in mid-2019", []string{"2014", "2019"}, "late"},
		{"by the end of 2021", []string{"2021"}, "late"},
		{"the 2024-01-03 bombing", []string{"2024-01-03"}, ""},
		{"the 3rd of January 2024", []string{"2024-01-03"}, ""},
		{"Sept. 11, 2001", []string{"2001-09-11"}, ""},
		{"in March the cell moved", []string{"?-03"}, ""},
		{"Recently, in May 2025, the minister", []string{"2025-05"}, ""},
		{"arrested in May 25, 2025 and", []string{"2025-05-25"}, ""},
		{"since March, 2019 the group", []string{"2019-03"}, ""},
		{"killing 30 of 1,2015 people on 31 February 2024", nil, ""},
		{"no dates here, only 12 or 300 people", nil, ""},
		{"Le 3 janvier 2024 — then in 2021 again", []string{"2024", "2021"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := extract.Dates(tt.text)
			var iso []string
			for _, d := range got {
				v := d.ISO()
				if v == "" {
					v = "?-" + []string{"", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}[d.Month]
				}
				iso = append(iso, v)
				if r := []rune(tt.text); string(r[d.Start:d.End]) != d.Text {
					t.Errorf("span %d-%d is %q, want %q", d.Start, d.End, string(r[d.Start:d.End]), d.Text)
				}
			}
			if len(iso) != len(tt.want) {
				t.Fatalf("got %v, want %v", iso, tt.want)
			}
			for i := range iso {
				if iso[i] != tt.want[i] {
					t.Errorf("date %d: got %s, want %s", i, iso[i], tt.want[i])
				}
			}
			if tt.qual != "" && got[0].Qualifier != tt.qual {
				t.Errorf("qualifier got %q, want %q", got[0].Qualifier, tt.qual)
			}
		})
	}
	anchor := extract.Dates("2025")[0]
	if d := extract.Dates("in March")[0].Resolve(anchor); d.ISO() != "2025-03" {
		t.Errorf("resolved: got %s, want 2025-03", d.ISO())
	}
}

func FuzzDates(f *testing.F) {
	for _, s := range []string{"25 May 2025", "mid-2019", "in March", "2024-02-30", "é 2019"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := []rune(text)
		for _, d := range extract.Dates(text) {
			if d.Start < 0 || d.End > len(r) || string(r[d.Start:d.End]) != d.Text {
				t.Fatalf("bad span %+v", d)
			}
			if iso := d.ISO(); iso != "" && len(iso) != 4 && len(iso) != 7 && len(iso) != 10 {
				t.Fatalf("bad ISO %q", iso)
			}
		}
	})
}
