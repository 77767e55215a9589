package dictionary

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/faultline-osint/faultline"
)

// data/given-names.txt is generated (go run ./tools/gennames) from the
// individual records of the UN and OFAC sanctions lists;
// data/given-names-curated.txt is written by hand. data/SOURCES.md says how.

//go:embed data/given-names.txt
var givenNamesData []byte

//go:embed data/given-names-curated.txt
var givenNamesCuratedData []byte

// GivenNameSet is a set of given names in folded form: lower case with
// accents removed, one word each ("ahmed", "abdul", "jose"). It is
// immutable and safe for concurrent use.
type GivenNameSet struct {
	names map[string]struct{}
}

// Has reports whether folded is a given name. The argument must already be
// folded the way the extractor folds a word (faultline.NormalizeName of one
// word): Has("Ahmed") is false.
func (s *GivenNameSet) Has(folded string) bool {
	if s == nil {
		return false
	}
	_, ok := s.names[folded]
	return ok
}

// Len returns the number of names in the set.
func (s *GivenNameSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.names)
}

// GivenNames returns the bundled given names: those derived from the
// sanctions lists and the curated additions. A person recogniser uses them
// to read "Ahmed Abdi Godane" as a person with no title or cue. The
// embedded files are parsed on the first call; later calls return the same
// set.
func GivenNames() (*GivenNameSet, error) {
	return givenNames()
}

var givenNames = sync.OnceValues(parseGivenNames)

func parseGivenNames() (*GivenNameSet, error) {
	s := &GivenNameSet{names: make(map[string]struct{}, 2048)}
	if err := s.add(givenNamesData); err != nil {
		return nil, fmt.Errorf("dictionary: embedded given-names.txt: %w", err)
	}
	if err := s.add(givenNamesCuratedData); err != nil {
		return nil, fmt.Errorf("dictionary: embedded given-names-curated.txt: %w", err)
	}
	return s, nil
}

// add reads a name list: one folded name a line; blank lines and lines
// starting with # are skipped. A line that is not one folded word is an
// error, so that a hand edit cannot add a name Has never matches.
func (s *GivenNameSet) add(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		name := strings.TrimSpace(sc.Text())
		if name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		if faultline.NormalizeName(name) != name || strings.Contains(name, " ") {
			return fmt.Errorf("line %d: %q is not one folded word", line, name)
		}
		s.names[name] = struct{}{}
	}
	return sc.Err()
}
