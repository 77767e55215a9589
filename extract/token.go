package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is a run of letters and digits. Everything else separates tokens,
// exactly as faultline.NormalizeName does, so that dictionary names and
// text tokens fold alike ("Lashkar-e-Taiba" → lashkar, e, taiba).
type token struct {
	s, e  int    // byte offsets in the document
	fold  string // lower case, accents removed
	cap   bool   // first rune is upper case
	upper bool   // every letter upper case (and at least one letter)
	num   bool   // all digits
}

// tokenize splits text[sp.s:sp.e] into tokens.
func tokenize(text string, sp span, out []token) []token {
	i := sp.s
	for i < sp.e {
		// ASCII fast path: most report text is ASCII, and a byte table
		// decides a word byte without Unicode tables.
		if c := text[i]; c < utf8.RuneSelf {
			if asciiWord[c] == 0 {
				i++
				continue
			}
			j, letters, uppers, digits := i, 0, 0, 0
			for j < sp.e && text[j] < utf8.RuneSelf && asciiWord[text[j]] != 0 {
				switch asciiWord[text[j]] {
				case 1:
					digits++
				case 2:
					letters++
				case 3:
					letters++
					uppers++
				}
				j++
			}
			if j == sp.e || text[j] < utf8.RuneSelf {
				t := token{s: i, e: j, cap: asciiWord[c] == 3, upper: letters > 0 && uppers == letters,
					num: digits > 0 && letters == 0}
				if uppers > 0 {
					t.fold = strings.ToLower(text[i:j])
				} else {
					t.fold = text[i:j]
				}
				out = append(out, t)
				i = j
				continue
			}
			// A non-ASCII rune inside the word: the general path below.
		}
		r, n := utf8.DecodeRuneInString(text[i:sp.e])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		ascii := true
		letters, uppers, digits := 0, 0, 0
		for i < sp.e {
			r, n = utf8.DecodeRuneInString(text[i:sp.e])
			if !isWordRune(r) {
				break
			}
			if r >= utf8.RuneSelf {
				ascii = false
			}
			switch {
			case unicode.IsDigit(r):
				digits++
			case unicode.Is(unicode.Lm, r):
			case unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					uppers++
				}
			}
			i += n
		}
		raw := text[start:i]
		// Case is read off the first letter proper, past a leading
		// transliteration mark ("ʿAdl" is capitalised).
		first, _ := utf8.DecodeRuneInString(raw)
		for k := 0; k < len(raw) && (unicode.Is(unicode.Lm, first) || unicode.Is(unicode.Mn, first)); {
			_, n := utf8.DecodeRuneInString(raw[k:])
			k += n
			first, _ = utf8.DecodeRuneInString(raw[k:])
		}
		t := token{
			s: start, e: i,
			cap:   unicode.IsUpper(first),
			upper: letters > 0 && uppers == letters,
			num:   digits > 0 && letters == 0,
		}
		if ascii {
			t.fold = asciiLower(raw)
		} else {
			t.fold = foldWord(raw)
		}
		out = append(out, t)
	}
	return out
}

// asciiWord classes ASCII bytes: 0 not a word byte, 1 digit, 2 lower-case
// letter, 3 upper-case letter.
var asciiWord = func() (t [128]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 2
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 3
	}
	return t
}()

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// foldWord lower-cases a word and strips accents.
func foldWord(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Lm, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// foldTokens splits a name into folded tokens, the same way tokenize does.
func foldTokens(name string) []string {
	var out []string
	for _, t := range tokenize(name, span{0, len(name)}, nil) {
		out = append(out, t.fold)
	}
	return out
}

// gap returns the text between two adjacent tokens.
func gap(text string, a, b token) string { return text[a.e:b.s] }

// joinable reports whether a gap keeps two tokens in one name: a space, a
// hyphen, an apostrophe or a period of an initial ("U.S.", "al-Qa'ida").
func joinable(g string) bool {
	if len(g) == 0 || len(g) > 3 {
		return false
	}
	switch g {
	case " ", "-", "'", "’", ". ", ".", "‐":
		return true
	}
	return false
}
