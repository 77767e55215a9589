package extract_test

import (
	"os"
	"path/filepath"
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

// FuzzExtract: whatever the text, extraction does not panic, every
// mention's offsets slice exactly its text, and the relations and events
// hold to checkGraph: the output validates against the schema, refers only
// to its own entities, stays in the vocabularies, and cites exact evidence.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "ISKP", "The Islamic State Khorasan Province (ISKP) moved.", "(((", "A (B) C (DE) F",
		"Islamabad's", "Gen. X. Y.", "U.S.", "\u00e9\u00e9 (\u00c9\u00c9)", "in 2019. The", "\x00\xff\xfe",
		"Hafiz", "Mr. ", "– — … “ ” ‘ ’", "North", "Brigade 313.[i] Kashmiri",
		// Once gave an event without a modality, while the rules were mid-edit.
		"00000000000000000000000000 Nt bomBing in Bil",
	} {
		f.Add(s)
	}
	for _, s := range graphSeeds {
		f.Add(s)
	}
	paths, _ := filepath.Glob("../examples/*.txt")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4000 {
			f.Add(string(b))
		}
	}
	x := mustExtractor(f)
	compiledSchema(f)
	f.Fuzz(func(t *testing.T, text string) {
		ext := x.Extract(faultline.Document{Text: text})
		checkSpans(t, text, ext)
		checkGraph(t, text, ext)
	})
}
