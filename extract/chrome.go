package extract

import (
	"strings"
	"unicode"
)

// contentLines returns the lines of text that are prose, skipping website
// chrome that survived text extraction: menus, image credits, share and
// "read more" lines, subscription prompts.
func contentLines(text string) []span {
	var out []span
	for _, ln := range lines(text) {
		if isChrome(text[ln.s:ln.e]) {
			continue
		}
		out = append(out, ln)
	}
	return out
}

// IsChrome reports whether a line is website chrome rather than prose: a
// menu entry, an image credit, a share or "read more" line. Readers use it
// to find a document's title past a saved page's menus.
func IsChrome(line string) bool { return isChrome(strings.TrimSpace(line)) }

func isChrome(line string) bool {
	// Chrome lines are short; a long paragraph is prose even if it says
	// "read more" somewhere.
	if len(line) > 400 {
		return false
	}
	lower := strings.ToLower(line)
	for _, p := range chromePhrases {
		if strings.Contains(lower, p) {
			return true
		}
	}
	words := strings.Fields(line)
	letters, uppers := 0, 0
	for _, r := range line {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				uppers++
			}
		}
	}
	if letters == 0 {
		return true
	}
	if strings.HasPrefix(line, "#") { // a Markdown heading is content
		return false
	}
	last := line[len(line)-1]
	terminal := last == '.' || last == '!' || last == '?' || last == ':' || last == '"' || last == ')'
	if len(words) <= 4 && !terminal {
		if uppers == letters && letters > 1 {
			return true // "CENTRES", "MENU"
		}
		for _, w := range words {
			if chromeWords[strings.Trim(strings.ToLower(w), "&|·•+-–—:")] {
				return true
			}
		}
	}
	return false
}
