package dictionary

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/faultline-osint/faultline"
	"go.yaml.in/yaml/v3"
)

// Spec is the YAML form of an entry, as written in user dictionaries and
// in the curated file the generator reads.
type Spec struct {
	Key           string   `yaml:"key"`
	Name          string   `yaml:"name"`
	Type          string   `yaml:"type"`
	Aliases       []string `yaml:"aliases"`
	CaseSensitive []string `yaml:"case_sensitive"`
	Country       string   `yaml:"country"`
	Parent        string   `yaml:"parent"`
}

// LoadYAML reads a user dictionary: either a YAML list of entries or a
// mapping with an "entries" list. Each entry has a name and a type and
// optionally key, aliases, case_sensitive, country (ISO 3166-1 alpha-2) and
// parent. A missing key defaults to "user-" followed by a slug of the name.
// Aliases that are unsafe to match (see SafeAlias) are dropped, and
// acronyms are added to CaseSensitive. Errors name source and the entry's
// 1-based index.
func LoadYAML(r io.Reader, source string) ([]Entry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i].Value == "entries" {
				found = list.Content[i+1]
			}
		}
		if found == nil {
			return nil, fmt.Errorf("%s: line %d: want a list of entries or a mapping with an \"entries\" list", source, list.Line)
		}
		list = found
	}
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: line %d: want a list of entries", source, list.Line)
	}
	entries := make([]Entry, 0, len(list.Content))
	for i, n := range list.Content {
		var y Spec
		if err := n.Decode(&y); err != nil {
			return nil, fmt.Errorf("%s: entry %d (line %d): %w", source, i+1, n.Line, err)
		}
		e, err := y.Entry()
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d (line %d): %w", source, i+1, n.Line, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// LoadFile reads a user dictionary from a YAML file; see LoadYAML.
func LoadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load dictionary: %w", err)
	}
	defer f.Close()
	return LoadYAML(f, path)
}

func validTypes() string {
	s := make([]string, len(faultline.EntityTypes))
	for i, t := range faultline.EntityTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Entry validates the spec and returns the entry it describes: a name and a
// closed-set type are required, a missing key becomes "user-" and a slug of
// the name, unsafe aliases are dropped and acronyms are matched by case.
func (y Spec) Entry() (Entry, error) {
	name := strings.TrimSpace(y.Name)
	if name == "" {
		return Entry{}, errors.New("name is missing")
	}
	t := faultline.EntityType(strings.TrimSpace(y.Type))
	if t == "" {
		return Entry{}, fmt.Errorf("type is missing: want one of %s", validTypes())
	}
	if !t.Valid() {
		return Entry{}, fmt.Errorf("type %q is not one of %s", y.Type, validTypes())
	}
	country := strings.ToUpper(strings.TrimSpace(y.Country))
	if country != "" && (len(country) != 2 || !isASCIIUpper(country)) {
		return Entry{}, fmt.Errorf("country %q: want an ISO 3166-1 alpha-2 code such as PK", y.Country)
	}
	key := strings.TrimSpace(y.Key)
	if key == "" {
		slug := Slug(name)
		if slug == "" { // a name in a non-Latin script
			h := fnv.New32a()
			h.Write([]byte(name))
			slug = fmt.Sprintf("%08x", h.Sum32())
		}
		key = "user-" + slug
	}
	e := Entry{Key: key, Name: name, Type: t, Country: country, Parent: strings.TrimSpace(y.Parent)}
	seen := map[string]bool{name: true}
	for _, a := range y.Aliases {
		a = strings.TrimSpace(a)
		if seen[a] || !SafeAlias(a) {
			continue
		}
		seen[a] = true
		e.Aliases = append(e.Aliases, a)
	}
	cs := map[string]bool{}
	for _, a := range y.CaseSensitive {
		a = strings.TrimSpace(a)
		if a == "" || cs[a] {
			continue
		}
		if !seen[a] {
			return Entry{}, fmt.Errorf("case_sensitive %q is neither the name nor an alias", a)
		}
		cs[a] = true
		e.CaseSensitive = append(e.CaseSensitive, a)
	}
	for _, a := range e.Names() {
		if IsAcronym(a) && !cs[a] {
			cs[a] = true
			e.CaseSensitive = append(e.CaseSensitive, a)
		}
	}
	return e, nil
}

func isASCIIUpper(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Slug turns a name into a key fragment: lower-case ASCII letters and
// digits joined by hyphens ("Lashkar-e-Taiba" → "lashkar-e-taiba").
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range faultline.NormalizeName(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
