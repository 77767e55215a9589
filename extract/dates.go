package extract

import (
	"fmt"
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

// Dates finds date expressions in text, in order.
func Dates(text string) []DateExpr {
	toks := tokenize(text, span{s: 0, e: len(text)}, nil)
	var out []DateExpr
	offs := newRuneOffsets(text)
	for _, td := range tokenDates(text, toks) {
		d := td.DateExpr
		bs, be := toks[td.i].s, toks[td.j].e
		d.Text = text[bs:be]
		d.Start, d.End = offs.at(bs), offs.at(bs)+utf8.RuneCountInString(d.Text)
		out = append(out, d)
	}
	return out
}

// tokDate is a date over tokens [i, j].
type tokDate struct {
	i, j int
	DateExpr
}

// tokenDates recognises dates over tokens, most specific form first: ISO
// "2024-01-03", "25 May 2025", "May 25, 2025", "March 2025", "late 2014",
// "mid-2019", a year-less "in March" and a bare year. It works on tokens
// rather than a regular expression because the extractor already has them
// and an automaton over the whole text cost half the extraction time.
func tokenDates(text string, toks []token) []tokDate {
	var out []tokDate
	n := len(toks)
	gapAt := func(k int) string { // between token k and k+1
		if k+1 >= n {
			return ""
		}
		return text[toks[k].e:toks[k+1].s]
	}
	year := func(k int) int {
		if k < 0 || k >= n || !toks[k].num || len(toks[k].fold) != 4 {
			return 0
		}
		return atoi(toks[k].fold)
	}
	monthAt := func(k int) int {
		if k < 0 || k >= n || !toks[k].cap {
			return 0
		}
		return monthNumber[toks[k].fold]
	}
	dayAt := func(k int) int {
		if k < 0 || k >= n {
			return 0
		}
		f := toks[k].fold
		if len(f) > 2 {
			if suf := f[len(f)-2:]; suf == "st" || suf == "nd" || suf == "rd" || suf == "th" {
				f = f[:len(f)-2]
			}
		}
		if len(f) == 0 || len(f) > 2 || f[0] < '0' || f[0] > '9' || len(f) == 2 && (f[1] < '0' || f[1] > '9') {
			return 0
		}
		return atoi(f)
	}
	space := func(g string) bool { return strings.TrimSpace(g) == "" && g != "" }
	// between a month and what follows: a space, a comma or an
	// abbreviation's period
	monthGap := func(g string) bool {
		g = strings.TrimPrefix(strings.TrimPrefix(g, "."), ",")
		return space(g)
	}
	for k := 0; k < n; k++ {
		var d DateExpr
		end := -1
		switch {
		case year(k) > 0 && k+2 < n && toks[k+1].num && len(toks[k+1].fold) == 2 && toks[k+2].num &&
			len(toks[k+2].fold) == 2 && gapAt(k) == "-" && gapAt(k+1) == "-":
			d = DateExpr{Year: year(k), Month: atoi(toks[k+1].fold), Day: atoi(toks[k+2].fold), Precision: PrecisionDay}
			end = k + 2
		case dayAt(k) > 0 && space(gapAt(k)):
			m := k + 1
			if m < n && toks[m].fold == "of" && space(gapAt(m)) {
				m++
			}
			if monthAt(m) > 0 && monthGap(gapAt(m)) && year(m+1) > 0 {
				d = DateExpr{Year: year(m + 1), Month: monthAt(m), Day: dayAt(k), Precision: PrecisionDay}
				end = m + 1
			}
		case monthAt(k) > 0 && monthGap(gapAt(k)):
			switch {
			case dayAt(k+1) > 0 && year(k+2) > 0 && monthGap(strings.TrimPrefix(gapAt(k+1), ",")) || dayAt(k+1) > 0 && year(k+2) > 0 && space(strings.TrimPrefix(gapAt(k+1), ",")):
				d = DateExpr{Year: year(k + 2), Month: monthAt(k), Day: dayAt(k + 1), Precision: PrecisionDay}
				end = k + 2
			case year(k+1) > 0:
				d = DateExpr{Year: year(k + 1), Month: monthAt(k), Precision: PrecisionMonth}
				end = k + 1
			case k+2 < n && toks[k+1].fold == "of" && year(k+2) > 0:
				d = DateExpr{Year: year(k + 2), Month: monthAt(k), Precision: PrecisionMonth}
				end = k + 2
			}
		}
		if end < 0 {
			// qualifiers: "late 2014", "mid-2019", "the end of 2021"
			f := toks[k].fold
			switch {
			case (f == "early" || f == "mid" || f == "late") && year(k+1) > 0 && (space(gapAt(k)) || gapAt(k) == "-"):
				d = DateExpr{Year: year(k + 1), Precision: PrecisionYear, Qualifier: f}
				end = k + 1
			case (f == "end" || f == "beginning" || f == "start") && k+2 < n && toks[k+1].fold == "of" && year(k+2) > 0:
				q := "early"
				if f == "end" {
					q = "late"
				}
				d = DateExpr{Year: year(k + 2), Precision: PrecisionYear, Qualifier: q}
				end = k + 2
			case yearlessPreps[f] && (!toks[k].cap || k == 0 || strings.ContainsAny(gapAt(k-1), ".!?\n")) && monthAt(k+1) > 0 && space(gapAt(k)) &&
				year(k+2) == 0 && !(dayAt(k+2) > 0 && year(k+3) > 0) && !(k+2 < n && toks[k+2].fold == "of" && year(k+3) > 0):
				// "in March": only the month is the date.
				out = append(out, tokDate{i: k + 1, j: k + 1, DateExpr: DateExpr{Month: monthAt(k + 1), Precision: PrecisionMonth}})
				k++
				continue
			case toks[k].num && len(f) == 4 && (f[:2] == "19" || f[:2] == "20"):
				// A bare year, unless part of a larger number ("1,2015").
				if k > 0 && toks[k-1].num && (gapAt(k-1) == "," || gapAt(k-1) == ".") {
					continue
				}
				d = DateExpr{Year: atoi(f), Precision: PrecisionYear}
				end = k
			}
		}
		if end < 0 {
			continue
		}
		if valid(d) {
			out = append(out, tokDate{i: k, j: end, DateExpr: d})
		}
		k = end
	}
	return out
}

// yearlessPreps introduce a month without a year: "in March".
var yearlessPreps = setOf("in", "since", "until", "by", "during", "from", "before", "after", "through", "throughout",
	"that", "early", "late", "mid", "last")

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
