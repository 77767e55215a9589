package dictionary_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/internal/dictgen"
)

// MustDefault returns the bundled dictionary or fails the test.
func MustDefault(tb testing.TB) *dictionary.Dictionary {
	tb.Helper()
	d, err := dictionary.Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return d
}

func mustKey(tb testing.TB, d *dictionary.Dictionary, key string) dictionary.Entry {
	tb.Helper()
	e, ok := d.ByKey(key)
	if !ok {
		tb.Fatalf("ByKey(%q): not found", key)
	}
	return e
}

func hasID(e dictionary.Entry, scheme, value string) bool {
	return slices.Contains(e.ExternalIDs, faultline.ExternalID{Scheme: scheme, Value: value})
}

func TestDefaultSize(t *testing.T) {
	d := MustDefault(t)
	counts := map[faultline.EntityType]int{}
	for _, e := range d.Entries() {
		counts[e.Type]++
	}
	actors := counts[faultline.ArmedGroup] + counts[faultline.Country] + counts[faultline.GovernmentBody]
	if actors < 400 {
		t.Errorf("armed groups, countries and government bodies: got %d, want >= 400", actors)
	}
	if counts[faultline.Country] < 193 {
		t.Errorf("countries: got %d, want every UN member state (>= 193)", counts[faultline.Country])
	}
	t.Logf("entries by type: %v", counts)
}

func TestDefaultEntries(t *testing.T) {
	d := MustDefault(t)
	seen := map[string]bool{}
	for _, e := range d.Entries() {
		if seen[e.Key] {
			t.Errorf("duplicate key %q", e.Key)
		}
		seen[e.Key] = true
		if !e.Type.Valid() {
			t.Errorf("%s: invalid type %q", e.Key, e.Type)
		}
		if strings.TrimSpace(e.Name) == "" {
			t.Errorf("%s: empty name", e.Key)
		}
		for _, a := range e.Aliases {
			if !dictionary.SafeAlias(a) {
				t.Errorf("%s: unsafe alias %q", e.Key, a)
			}
			if dictionary.IsStopword(a) {
				t.Errorf("%s: alias %q is a stoplisted common word", e.Key, a)
			}
		}
		names := e.Names()
		for _, c := range e.CaseSensitive {
			if !slices.Contains(names, c) {
				t.Errorf("%s: case_sensitive %q is neither name nor alias", e.Key, c)
			}
		}
		for _, n := range names {
			if dictionary.IsAcronym(n) && !slices.Contains(e.CaseSensitive, n) {
				t.Errorf("%s: acronym %q is not case_sensitive", e.Key, n)
			}
		}
		if e.Parent != "" {
			if _, ok := d.ByKey(e.Parent); !ok {
				t.Errorf("%s: parent %q is not an entry", e.Key, e.Parent)
			}
		}
	}
}

func TestKnownActors(t *testing.T) {
	d := MustDefault(t)
	tests := []struct {
		key     string
		typ     faultline.EntityType
		aliases []string
		ids     []faultline.ExternalID
		parent  string
	}{
		{"iskp", faultline.ArmedGroup, []string{"ISKP", "IS-K", "ISIS-K", "ISIL-K", "Wilayat Khorasan"},
			[]faultline.ExternalID{{Scheme: "un", Value: "QDe.161"}, {Scheme: "ofac", Value: "18647"}}, "islamic-state"},
		{"ttp", faultline.ArmedGroup, []string{"TTP", "Pakistani Taliban", "Tehrik-e Taliban Pakistan", "Taleban Movement of Pakistan"},
			[]faultline.ExternalID{{Scheme: "un", Value: "QDe.132"}, {Scheme: "ofac", Value: "12206"}, {Scheme: "ucdp", Value: "356"}}, ""},
		{"islamic-state", faultline.ArmedGroup, []string{"IS", "ISIS", "ISIL", "Daesh"},
			[]faultline.ExternalID{{Scheme: "ucdp", Value: "234"}, {Scheme: "ofac", Value: "8759"}}, ""},
		{"al-qaeda", faultline.ArmedGroup, []string{"al-Qaeda", "al-Qaida", "AQ"},
			[]faultline.ExternalID{{Scheme: "un", Value: "QDe.004"}, {Scheme: "ofac", Value: "6366"}, {Scheme: "ucdp", Value: "769"}}, ""},
		{"haqqani-network", faultline.ArmedGroup, []string{"Haqqani network", "HQN"},
			[]faultline.ExternalID{{Scheme: "un", Value: "TAe.012"}, {Scheme: "ofac", Value: "15484"}}, "taliban"},
		{"isi", faultline.GovernmentBody, []string{"ISI", "Inter-Service Intelligence"}, nil, "country-pk"},
		{"irgc", faultline.GovernmentBody, []string{"IRGC"}, []faultline.ExternalID{{Scheme: "ofac", Value: "10391"}}, "country-ir"},
		{"country-pk", faultline.Country, []string{"Government of Pakistan"},
			[]faultline.ExternalID{{Scheme: "iso3166", Value: "PK"}, {Scheme: "ucdp", Value: "142"}}, ""},
		{"ppp", faultline.PoliticalParty, []string{"PPP", "Pakistan People's Party"}, nil, ""},
		{"al-azaim", faultline.Organization, []string{"Al Azaim Foundation"}, nil, "iskp"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			e := mustKey(t, d, tt.key)
			if e.Type != tt.typ {
				t.Errorf("type: got %q, want %q", e.Type, tt.typ)
			}
			for _, a := range tt.aliases {
				if !slices.Contains(e.Names(), a) {
					t.Errorf("alias %q missing; have %q", a, e.Aliases)
				}
			}
			for _, id := range tt.ids {
				if !hasID(e, id.Scheme, id.Value) {
					t.Errorf("external id %v missing; have %v", id, e.ExternalIDs)
				}
			}
			if e.Parent != tt.parent {
				t.Errorf("parent: got %q, want %q", e.Parent, tt.parent)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	d := MustDefault(t)
	tests := []struct {
		name string
		want string // key expected among the results
	}{
		{"Government of Pakistan", "country-pk"},
		{"government of pakistan", "country-pk"},
		{"Pakistan", "country-pk"},
		{"ISIL Khorasan", "iskp"},
		{"Islamic State Khorasan Province", "iskp"},
		{"TEHRIK-E TALIBAN PAKISTAN", "ttp"},
		{"Tehrik-i-Taliban Pakistan", "ttp"},
		{"Al-Qa'ida", "al-qaeda"},
		{"al Qaida", "al-qaeda"},
		{"Inter Service Intelligence", "isi"},
		{"Balochistan Liberation Army", "bla"},
		{"Lashkar-e-Tayyiba", "lashkar-e-taiba"},
		{"Government of Russia", "country-ru"},
		{"Government of United States of America", "country-us"},
	}
	for _, tt := range tests {
		got := d.Lookup(tt.name)
		var keys []string
		for _, e := range got {
			keys = append(keys, e.Key)
		}
		if !slices.Contains(keys, tt.want) {
			t.Errorf("Lookup(%q): got %v, want %s among them", tt.name, keys, tt.want)
		}
	}
	// ISKP records from the UN and OFAC lists must not survive as entries
	// of their own.
	for _, key := range []string{"un-qde-161", "ofac-18647", "un-qde-132", "ofac-12206", "ucdp-356"} {
		if _, ok := d.ByKey(key); ok {
			t.Errorf("ByKey(%q): list record was not merged into its curated entry", key)
		}
	}
	if got := d.Lookup("the base"); len(got) != 0 {
		t.Errorf("Lookup(the base): got %d entries, want none (stoplisted)", len(got))
	}
}

func TestWith(t *testing.T) {
	base := dictionary.New(
		dictionary.Entry{Key: "a", Name: "Alpha Front", Type: faultline.ArmedGroup},
		dictionary.Entry{Key: "b", Name: "Beta Army", Type: faultline.ArmedGroup},
	)
	d := base.With(
		dictionary.Entry{Key: "b", Name: "Beta Brigade", Type: faultline.ArmedGroup, Aliases: []string{"BB"}},
		dictionary.Entry{Key: "c", Name: "Gamma", Type: faultline.Organization},
	)
	if got, want := len(d.Entries()), 3; got != want {
		t.Fatalf("len: got %d, want %d", got, want)
	}
	if e, _ := d.ByKey("b"); e.Name != "Beta Brigade" {
		t.Errorf("override: got %q, want Beta Brigade", e.Name)
	}
	if got := d.Lookup("Beta Army"); len(got) != 0 {
		t.Errorf("Lookup of the overridden name: got %v, want none", got)
	}
	if got := d.Lookup("bb"); len(got) != 1 || got[0].Key != "b" {
		t.Errorf("Lookup(bb): got %v", got)
	}
	if e, _ := base.ByKey("b"); e.Name != "Beta Army" {
		t.Errorf("With changed its receiver: got %q", e.Name)
	}
}

func TestGeneratorDeterminism(t *testing.T) {
	opts := dictgen.Options{Shared: sharedDir(t), Curated: filepath.Join("data", "curated.yaml")}
	checkGenerated(t, "actors.jsonl", "go run ./tools/gendict", func() ([]byte, error) {
		b, _, err := dictgen.Build(opts)
		return b, err
	})
}

// sharedDir returns the shared folder beside the repository, or skips the
// test where it is absent: a fresh clone has only the committed data.
func sharedDir(t *testing.T) string {
	t.Helper()
	shared := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "data", "un-sc-consolidated", "consolidated.xml")); err != nil {
		t.Skipf("shared data not found at %s (a fresh clone has only the committed data files): %v", shared, err)
	}
	return shared
}

// checkGenerated runs a generator twice and checks that both runs give the
// committed data/<file> byte for byte.
func checkGenerated(t *testing.T, file, cmd string, build func() ([]byte, error)) {
	t.Helper()
	got, err := build()
	if err != nil {
		t.Fatalf("generate %s: %v", file, err)
	}
	again, err := build()
	if err != nil {
		t.Fatalf("generate %s again: %v", file, err)
	}
	if !bytes.Equal(got, again) {
		t.Fatalf("two generator runs of %s differ", file)
	}
	want, err := os.ReadFile(filepath.Join("data", file))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated %s (%d bytes) differs from the committed file (%d bytes); run %s from the repository root",
			file, len(got), len(want), cmd)
	}
}

func BenchmarkDefaultLoad(b *testing.B) {
	for b.Loop() {
		// Default parses once; measure the parse itself through New over
		// freshly decoded data.
		entries, err := dictionary.ParseJSONLForTest()
		if err != nil {
			b.Fatal(err)
		}
		_ = dictionary.New(entries...)
	}
}
