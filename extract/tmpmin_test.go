package extract_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

func TestTmpMin(t *testing.T) {
	in := os.Getenv("TMPMIN")
	if in == "" {
		t.Skip()
	}
	for _, s := range strings.Split(in, "\n") {
		ext := mustExtractor(t).Extract(faultline.Document{Text: s})
		b, _ := json.Marshal(map[string]any{"ents": ext.Entities, "ev": ext.Events, "rel": ext.Relations})
		t.Logf("%q => %s", s, b)
	}
}
