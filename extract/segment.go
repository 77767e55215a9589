package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a half-open byte range of the document text.
type span struct{ s, e int }

// abbreviations end with a period that does not end a sentence. Lower case,
// without the period.
var abbreviations = setOf(
	"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "brig", "adm",
	"cmdr", "gov", "sen", "rep", "st", "jr", "sr", "rev", "hon", "amb", "pres", "supt", "insp",
	"no", "nos", "vol", "fig", "pp", "op", "cit", "ed", "eds", "etc", "vs", "viz", "cf", "al",
	"inc", "ltd", "co", "corp", "dept", "univ", "assn", "bros", "approx", "est", "ca",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"e.g", "i.e", "a.m", "p.m",
)

// sentenceStarters are words that begin a new sentence even after an
// abbreviation with internal periods ("… to the U.S. The minister …").
var sentenceStarters = setOf("the", "this", "that", "these", "those", "it", "he", "she", "they", "we",
	"in", "on", "at", "after", "before", "since", "but", "however", "meanwhile", "a", "an", "its", "their", "his", "her")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// lines splits text into non-blank lines, as byte spans trimmed of spaces.
func lines(text string) []span {
	var out []span
	start := 0
	for start <= len(text) {
		i := strings.IndexByte(text[start:], '\n')
		end := len(text)
		if i >= 0 {
			end = start + i
		}
		s, e := trimSpan(text, start, end)
		if e > s {
			out = append(out, span{s, e})
		}
		if i < 0 {
			break
		}
		start = end + 1
	}
	return out
}

func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// sentences splits one line (a paragraph) into sentences.
func sentences(text string, line span) []span {
	var out []span
	start := line.s
	for i := line.s; i < line.e; i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		// Absorb runs of terminal punctuation, closing quotes and brackets,
		// and footnote markers like "[i]".
		j := i + 1
		for j < line.e {
			r, n := utf8.DecodeRuneInString(text[j:line.e])
			if r == '.' || r == '!' || r == '?' || r == '"' || r == '\'' || r == ')' || r == ']' || r == '’' || r == '”' {
				j += n
				continue
			}
			if r == '[' { // footnote marker [i], [12]
				k := strings.IndexByte(text[j:line.e], ']')
				if k > 0 && k <= 6 {
					j += k + 1
					continue
				}
			}
			break
		}
		if j >= line.e {
			break
		}
		r, _ := utf8.DecodeRuneInString(text[j:line.e])
		if !unicode.IsSpace(r) {
			i = j - 1
			continue
		}
		k := j
		for k < line.e {
			r, n := utf8.DecodeRuneInString(text[k:line.e])
			if !unicode.IsSpace(r) {
				break
			}
			k += n
		}
		if k >= line.e {
			break
		}
		next, _ := utf8.DecodeRuneInString(text[k:line.e])
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || next == '"' || next == '“' || next == '‘' || next == '\'' || next == '(' || next == '[') {
			i = j - 1
			continue
		}
		if c == '.' && !endsSentence(text, start, i, k, line.e) {
			i = j - 1
			continue
		}
		s, e := trimSpan(text, start, j)
		if e > s {
			out = append(out, span{s, e})
		}
		start = k
		i = k - 1
	}
	s, e := trimSpan(text, start, line.e)
	if e > s {
		out = append(out, span{s, e})
	}
	return out
}

// endsSentence decides whether the period at dot ends a sentence, given the
// start of the next word at next.
func endsSentence(text string, sentStart, dot, next, lineEnd int) bool {
	// The word before the period, including internal periods ("U.S").
	w := dot
	for w > sentStart {
		r, n := utf8.DecodeLastRuneInString(text[sentStart:w])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
			break
		}
		w -= n
	}
	word := text[w:dot]
	if word == "" {
		return true
	}
	lw := strings.ToLower(word)
	if abbreviations[lw] {
		return false
	}
	// Initials and dotted abbreviations: "J.", "U.S.", "U.N.".
	single := utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0])
	dotted := strings.Contains(word, ".")
	if single || dotted {
		nw := next
		for nw < lineEnd {
			r, n := utf8.DecodeRuneInString(text[nw:lineEnd])
			if !unicode.IsLetter(r) {
				break
			}
			nw += n
		}
		return sentenceStarters[strings.ToLower(text[next:nw])]
	}
	return true
}
