package dictionary_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/internal/dictgen"
)

func TestGivenNames(t *testing.T) {
	names, err := dictionary.GivenNames()
	if err != nil {
		t.Fatalf("GivenNames: %v", err)
	}
	if again, _ := dictionary.GivenNames(); again != names {
		t.Error("GivenNames parsed the embedded files twice")
	}
	if n := names.Len(); n < 1500 || n > 5000 {
		t.Errorf("Len: got %d, want 1,500–5,000", n)
	}
	// From the lists ("Ahmed Abdi Godane", "Ayman al-Zawahiri", "Yahya
	// Saree", Spanish and Russian names of the SDN list) and from the
	// curated file ("Aden Hashi Ayro", "Makhan Lal Bindroo", "Antony
	// Blinken").
	for _, n := range []string{"ahmed", "abdi", "ayman", "yahya", "abu", "abdul", "abd", "jose", "sergey",
		"aden", "makhan", "antony", "sherry", "imran"} {
		if !names.Has(n) {
			t.Errorf("Has(%q) = false, want true", n)
		}
	}
	for _, n := range []string{"Ahmed", "al", "bin", "ibn", "mullah", "haji", "sheikh", "maulana", "said", "general",
		"islamic", "january", "pakistan", "afghan", "jordan", "zawahiri", "leonidovich", "haqqani", ""} {
		if names.Has(n) {
			t.Errorf("Has(%q) = true, want false", n)
		}
	}
	var none *dictionary.GivenNameSet
	if none.Has("ahmed") || none.Len() != 0 {
		t.Error("a nil set is not empty")
	}
}

// readNameList returns the names of a list file, without comments and
// blank lines, in file order.
func readNameList(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func TestGivenNamesCurated(t *testing.T) {
	curated := readNameList(t, "given-names-curated.txt")
	if len(curated) == 0 || len(curated) > 200 {
		t.Errorf("curated names: got %d, want 1–200", len(curated))
	}
	if !slices.IsSorted(curated) || len(slices.Compact(slices.Clone(curated))) != len(curated) {
		t.Error("given-names-curated.txt is not sorted and free of duplicates")
	}
	derived := readNameList(t, "given-names.txt")
	for _, n := range curated {
		// The curated names obey the generator's rules.
		why, err := dictgen.RejectGivenName(n)
		if err != nil {
			t.Fatal(err)
		}
		if why != "" {
			t.Errorf("curated %q: %s", n, why)
		}
		if _, found := slices.BinarySearch(derived, n); found {
			t.Errorf("curated %q is already in given-names.txt; remove it from the curated file", n)
		}
	}
}

func TestGivenNamesGeneratorDeterminism(t *testing.T) {
	opts := dictgen.NamesOptions{Shared: sharedDir(t)}
	checkGenerated(t, "given-names.txt", "go run ./tools/gennames", func() ([]byte, error) {
		b, st, err := dictgen.BuildGivenNames(opts)
		if err == nil && (st.Records["un"] != 682 || st.Records["ofac"] != 6854) {
			t.Errorf("individual records read: got %v, want un 682, ofac 6854", st.Records)
		}
		return b, err
	})
}

func BenchmarkGivenNamesLoad(b *testing.B) {
	for b.Loop() {
		if _, err := dictionary.ParseGivenNamesForTest(); err != nil {
			b.Fatal(err)
		}
	}
}
