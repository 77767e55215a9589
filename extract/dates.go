package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Precision says how much of a date the text gives.
type Precision int

// Date precisions, coarsest first.
const (
	PrecisionYear Precision = iota + 1
	PrecisionMonth
	PrecisionDay
)

// DateExpr is a date expression found in text, at the precision the text
// gives: "25 May 2025" is a day, "March 2025" a month, "late 2014" a year
// with the qualifier "late". Year is 0 when the text gives none ("in
// March"); Resolve anchors it.
type DateExpr struct {
	Start, End int // code-point offsets
	Text       string
	Year       int
	Month      int // 1–12, or 0
	Day        int // 1–31, or 0
	Precision  Precision
	Qualifier  string // early, mid, late, or ""
}

// ISO returns the date in ISO 8601 at its precision ("2025", "2025-03",
// "2025-05-25"), or "" when the year is unknown. A qualifier never adds a
// month: "late 2014" is "2014".
func (d DateExpr) ISO() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Precision == PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case d.Precision == PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d", d.Year)
}

// Resolve gives a year-less date ("in March") the year of an anchor date,
// such as the document's date or the nearest dated context; it leaves
// dates that have a year alone.
func (d DateExpr) Resolve(anchor DateExpr) DateExpr {
	if d.Year == 0 && anchor.Year != 0 {
		d.Year = anchor.Year
	}
	return d
}

var monthNumber = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

const monthRE = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`

// dateRE lists the forms, most specific first; the alternation is leftmost,
// so each match takes the longest form at its position.
var dateRE = regexp.MustCompile(
	`\b(\d{4})-(\d{2})-(\d{2})\b` + // 1-3 ISO
		`|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRE + `,?\s+(\d{4})\b` + // 4-6 25 May 2025
		`|\b` + monthRE + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b` + // 7-9 May 25, 2025
		`|\b` + monthRE + `\s+(?:of\s+)?(\d{4})\b` + // 10-11 March 2025
		`|\b(early|mid|late|end\s+of|beginning\s+of|start\s+of)[\s-]+(\d{4})\b` + // 12-13 late 2014, mid-2019
		`|\b(?:in|since|until|by|during|from|before|after|through|throughout)\s+` + monthRE + `\b` + // 14 in March
		`|\b((?:19|20)\d{2})\b`) // 15 a year

// yearAfterRE is a year right after a month: "May 2025".
var (
	yearAfterRE    = regexp.MustCompile(`^,?\s+(\d{4})\b`)
	dayYearAfterRE = regexp.MustCompile(`^\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
)

// Dates finds date expressions in text, in order.
func Dates(text string) []DateExpr {
	var out []DateExpr
	offs := newRuneOffsets(text)
	consumed := 0 // end of the last date, which may reach past its match
	for _, m := range dateRE.FindAllStringSubmatchIndex(text, -1) {
		if m[0] < consumed {
			continue
		}
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return text[m[2*i]:m[2*i+1]]
		}
		var d DateExpr
		s, e := m[0], m[1]
		switch {
		case g(1) != "":
			d = DateExpr{Year: atoi(g(1)), Month: atoi(g(2)), Day: atoi(g(3)), Precision: PrecisionDay}
		case g(4) != "":
			d = DateExpr{Year: atoi(g(6)), Month: month(g(5)), Day: atoi(g(4)), Precision: PrecisionDay}
		case g(7) != "":
			d = DateExpr{Year: atoi(g(9)), Month: month(g(7)), Day: atoi(g(8)), Precision: PrecisionDay}
		case g(10) != "":
			d = DateExpr{Year: atoi(g(11)), Month: month(g(10)), Precision: PrecisionMonth}
		case g(12) != "":
			q := strings.Fields(strings.ToLower(g(12)))[0]
			switch q {
			case "end":
				q = "late"
			case "beginning", "start":
				q = "early"
			}
			d = DateExpr{Year: atoi(g(13)), Precision: PrecisionYear, Qualifier: q}
		case g(14) != "":
			// Only the month is the date: "in March" → March of an
			// unknown year.
			s = m[28]
			d = DateExpr{Month: month(g(14)), Precision: PrecisionMonth}
			// "in May 2025": the leftmost match took "in May"; the
			// year after it belongs to the same date.
			if y := dayYearAfterRE.FindStringSubmatchIndex(text[e:]); y != nil {
				d.Day, d.Year, d.Precision = atoi(text[e+y[2]:e+y[3]]), atoi(text[e+y[4]:e+y[5]]), PrecisionDay
				e += y[1]
			} else if y := yearAfterRE.FindStringSubmatchIndex(text[e:]); y != nil {
				d.Year = atoi(text[e+y[2] : e+y[3]])
				e += y[1]
			}
		case g(15) != "":
			// A bare year, unless it is part of a larger number or range
			// of digits ("1,2015", "2015-16" keeps 2015).
			if s > 0 && (text[s-1] == ',' || text[s-1] == '.') {
				continue
			}
			d = DateExpr{Year: atoi(g(15)), Precision: PrecisionYear}
		}
		if !valid(d) {
			continue
		}
		consumed = e
		d.Text = text[s:e]
		d.Start, d.End = offs.at(s), offs.at(s)+utf8.RuneCountInString(d.Text)
		out = append(out, d)
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func month(s string) int { return monthNumber[strings.ToLower(strings.TrimSuffix(s, "."))] }

func valid(d DateExpr) bool {
	if d.Year != 0 && (d.Year < 1000 || d.Year > 2200) {
		return false
	}
	if d.Precision >= PrecisionMonth && (d.Month < 1 || d.Month > 12) {
		return false
	}
	if d.Precision == PrecisionDay {
		days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
		if d.Day < 1 || d.Day > days[d.Month] {
			return false
		}
	}
	return true
}
