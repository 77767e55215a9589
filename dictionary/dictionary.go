// Package dictionary is Faultline's bundled actor dictionary: armed groups,
// countries, government bodies (militaries, intelligence services,
// ministries, police), political parties and other organisations, each with
// the surface forms under which report text names them.
//
// The extractor matches every alias of every entry against prose, so the data
// favours precision: aliases that are single common words ("the Base",
// "Army") are left out, and short all-capital acronyms ("IS", "LJ", "TTP")
// are listed in CaseSensitive so that they match only in upper case.
//
// # How the data is built
//
// data/actors.jsonl is generated, not written by hand. The generator
// (go run ./tools/gendict, logic in internal/dictgen) reads the UN Security
// Council consolidated list, the OFAC SDN list and the UCDP actor list from
// ../shared/data, GeoNames country information for the UN member states, and
// data/curated.yaml, which adds what those lists lack (state bodies, parties,
// research organisations, common English spellings) and corrects what they
// get wrong. Records of the same actor in several lists are merged into one
// entry that carries every list's external id. The output is sorted by key
// and byte-for-byte reproducible; it is committed so that a fresh clone needs
// nothing outside the repository. data/SOURCES.md credits the lists.
//
// Users can layer their own entries on top with LoadYAML or LoadFile and
// Dictionary.With.
//
// The package also bundles the given names that a person recogniser needs
// to find people named with no title or cue (GivenNames): the list
// data/given-names.txt, derived from the individual records of the same UN
// and OFAC lists by go run ./tools/gennames, and the short hand-written
// data/given-names-curated.txt.
package dictionary

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/faultline-osint/faultline"
)

//go:embed data/actors.jsonl
var actorsJSONL []byte

// Entry is one actor of the dictionary.
type Entry struct {
	// Key is the stable identifier of the entry: a curated slug such as
	// "iskp", or a list-derived key such as "un-qde-161", "ofac-18647",
	// "ucdp-356" or "country-pk".
	Key  string
	Name string
	Type faultline.EntityType
	// Aliases are the other surface forms of the actor; Name is not repeated.
	Aliases []string
	// CaseSensitive lists the surface forms (from Name and Aliases) that
	// must match with exact case, such as short acronyms.
	CaseSensitive []string
	ExternalIDs   []faultline.ExternalID
	// Country is the ISO 3166-1 alpha-2 code of the home country, if known.
	Country string
	// Parent is the key of the entry this one is part of, if any.
	Parent string
}

// Names returns the entry's name followed by its aliases.
func (e Entry) Names() []string {
	return append([]string{e.Name}, e.Aliases...)
}

// Dictionary is an immutable set of entries indexed by key and by
// normalised name. It is safe for concurrent use.
type Dictionary struct {
	entries []Entry
	byKey   map[string]int
	byName  map[string][]int
}

var (
	defaultOnce sync.Once
	defaultDict *Dictionary
	defaultErr  error
)

// Default returns the bundled dictionary. The embedded data is parsed once;
// later calls return the same *Dictionary.
func Default() (*Dictionary, error) {
	defaultOnce.Do(func() {
		entries, err := parseJSONL(actorsJSONL)
		if err != nil {
			defaultErr = fmt.Errorf("dictionary: embedded actors.jsonl: %w", err)
			return
		}
		defaultDict = New(entries...)
	})
	return defaultDict, defaultErr
}

// record is the JSON form of an entry, one per line of actors.jsonl.
type record struct {
	Key           string                 `json:"key"`
	Name          string                 `json:"name"`
	Type          faultline.EntityType   `json:"type"`
	Aliases       []string               `json:"aliases"`
	CaseSensitive []string               `json:"case_sensitive"`
	ExternalIDs   []faultline.ExternalID `json:"external_ids"`
	Country       string                 `json:"country"`
	Parent        string                 `json:"parent"`
}

func parseJSONL(data []byte) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if !r.Type.Valid() {
			return nil, fmt.Errorf("line %d: key %q: invalid type %q", line, r.Key, r.Type)
		}
		entries = append(entries, Entry(r))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return entries, nil
}

// MarshalJSONL writes entries as actors.jsonl lines, in the order given.
// The generator uses it so that the file format is defined in one place.
func MarshalJSONL(entries []Entry) ([]byte, error) {
	var buf bytes.Buffer
	for _, e := range entries {
		r := record(e)
		if r.Aliases == nil {
			r.Aliases = []string{}
		}
		if r.CaseSensitive == nil {
			r.CaseSensitive = []string{}
		}
		if r.ExternalIDs == nil {
			r.ExternalIDs = []faultline.ExternalID{}
		}
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("marshal %s: %w", e.Key, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// New returns a dictionary of the given entries. When two entries share a
// key, the later one wins.
func New(entries ...Entry) *Dictionary {
	d := &Dictionary{byKey: make(map[string]int, len(entries))}
	for _, e := range entries {
		if i, ok := d.byKey[e.Key]; ok {
			d.entries[i] = e
			continue
		}
		d.byKey[e.Key] = len(d.entries)
		d.entries = append(d.entries, e)
	}
	d.byName = make(map[string][]int, len(d.entries)*4)
	for i, e := range d.entries {
		for _, n := range e.Names() {
			k := faultline.NormalizeName(n)
			if k == "" {
				continue
			}
			if idx := d.byName[k]; len(idx) > 0 && idx[len(idx)-1] == i {
				continue
			}
			d.byName[k] = append(d.byName[k], i)
		}
	}
	return d
}

// Entries returns a copy of the entries, in the order they were given.
func (d *Dictionary) Entries() []Entry {
	return slices.Clone(d.entries)
}

// Len returns the number of entries.
func (d *Dictionary) Len() int { return len(d.entries) }

// ByKey returns the entry with the given key.
func (d *Dictionary) ByKey(key string) (Entry, bool) {
	i, ok := d.byKey[key]
	if !ok {
		return Entry{}, false
	}
	return d.entries[i], true
}

// Lookup returns the entries whose name or an alias folds, under
// faultline.NormalizeName, to the same form as name. It ignores case
// sensitivity: the caller, which sees the original text, decides whether a
// case-sensitive form really matched.
func (d *Dictionary) Lookup(name string) []Entry {
	idx := d.byName[faultline.NormalizeName(name)]
	out := make([]Entry, 0, len(idx))
	for _, i := range idx {
		out = append(out, d.entries[i])
	}
	return out
}

// With returns a new dictionary of d's entries layered with extra: an extra
// entry replaces the entry of the same key, other extra entries are added.
// d itself is not changed.
func (d *Dictionary) With(extra ...Entry) *Dictionary {
	all := make([]Entry, 0, len(d.entries)+len(extra))
	all = append(all, d.entries...)
	all = append(all, extra...)
	return New(all...)
}

// stopwords are single words that are too common in English prose to be
// matched as an actor's alias, whatever list gives them.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an and of base army movement front party group network
		organization organisation forces force government state council committee union league
		alliance brigade brigades battalion regiment division corps militia police military
		rebels insurgents youth company foundation trust society association congress assembly
		federation coalition opposition resistance revolution republic people nation community
		guard guards command unit ministry department agency service services bureau office
		centre center institute jihad islam islamic mujahideen mujahidin jamaat jama'at
		sentinels veiled elements royalists neutralists tigers victory justice unity
		freedom liberation independence martyrs spanish`) {
		stopwords[w] = true
	}
}

// IsStopword reports whether alias, once normalised, is a single common word
// (or empty) and so unsafe to match in prose as an actor's name.
func IsStopword(alias string) bool {
	n := faultline.NormalizeName(alias)
	if n == "" {
		return true
	}
	if strings.Contains(n, " ") {
		return false
	}
	return stopwords[n]
}

// IsAcronym reports whether s is an all-capital acronym of two to five
// letters, such as "IS", "TTP", "IS-K" or "R&AW". Digits and the
// punctuation - & . / are allowed but not counted.
func IsAcronym(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsDigit(r) || r == '-' || r == '&' || r == '.' || r == '/':
		default:
			return false
		}
	}
	return letters >= 2 && letters <= 5
}

// SafeAlias reports whether alias may be matched in prose: it has at least
// two characters and is not a single common word.
func SafeAlias(alias string) bool {
	return len([]rune(strings.TrimSpace(alias))) >= 2 && !IsStopword(alias)
}
