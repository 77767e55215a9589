package sqlite

import (
	"math/rand"
	"strings"
	"testing"
)

// TestWindowContextMatchesFullText: the context built from the window the
// profile query reads equals the context built from the whole text.
func TestWindowContextMatchesFullText(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"ISKP", "struck", "é", "Mastung.", "the", "group", "said!", "Why?", "\n", "a", "Quetta—", "de"}
	for n := 0; n < 200; n++ {
		var b strings.Builder
		for k := rng.Intn(400); k > 0; k-- {
			b.WriteString(words[rng.Intn(len(words))])
			b.WriteByte(' ')
		}
		text := []rune(b.String())
		if len(text) == 0 {
			continue
		}
		start := rng.Intn(len(text))
		end := min(len(text), start+1+rng.Intn(12))
		lo := max(start-(contextSide+1), 0)
		hi := min(len(text), end+contextSide+1)
		if got, want := windowContext(text[lo:hi], lo, start, end), SentenceContext(text, start, end); got != want {
			t.Fatalf("text %q [%d,%d): window gives %q, full text %q", string(text), start, end, got, want)
		}
	}
}
