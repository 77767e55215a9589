package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/extract"
)

// benchCorpus is at least 5 MB of report prose: the project's briefs (and
// the seed article when ../shared is there), repeated.
func benchCorpus(tb testing.TB) []faultline.Document {
	var texts []string
	paths, _ := filepath.Glob("../examples/*.*")
	for _, p := range paths {
		if strings.HasSuffix(p, "README.md") {
			continue
		}
		b, err := os.ReadFile(p)
		if err == nil {
			texts = append(texts, string(b))
		}
	}
	for _, base := range []string{"../../shared", "../shared"} {
		if b, err := os.ReadFile(filepath.Join(base, "corpus/seed-iskp-balochistan.txt")); err == nil {
			texts = append(texts, string(b))
			break
		}
	}
	if len(texts) == 0 {
		tb.Skip("no texts for the benchmark corpus")
	}
	var docs []faultline.Document
	size := 0
	for size < 5<<20 {
		for _, t := range texts {
			docs = append(docs, faultline.Document{Text: t})
			size += len(t)
		}
	}
	return docs
}

// BenchmarkExtract reports extraction throughput on one core, in MB/s of
// text, over a corpus of at least 5 MB.
func BenchmarkExtract(b *testing.B) {
	x := mustExtractor(b)
	docs := benchCorpus(b)
	size := 0
	for _, d := range docs {
		size += len(d.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			x.Extract(d)
		}
	}
}

// BenchmarkNew measures building the extractor (dictionary, gazetteer and
// their trie), paid once per process.
func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := extract.New(extract.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
