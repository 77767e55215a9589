package gazetteer_test

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// row joins the 16 columns of a gazetteer TSV line.
func row(cols ...string) string {
	for len(cols) < 16 {
		cols = append(cols, "")
	}
	return strings.Join(cols, "\t") + "\n"
}

const header = "# test data\n"

var testPlaces = header +
	row("iso3166:PK", "country", "Pakistan", "PK", "PAK", "", "", "33.7", "73.0", "212215030", "capital", "Islamabad") +
	row("geonames:1183606", "admin1", "Balochistan", "PK", "", "PK.02", "", "30.1", "67.0", "", "admin-seat") +
	row("geonames:1170706", "city", "Mastung", "PK", "", "PK.02", "", "29.8", "66.8", "29082", "point", "", "", "Mastang") +
	row("geonames:1176615", "city", "Islamabad", "PK", "", "PK.08", "", "33.7", "73.0", "601600", "point", "", "1")

var testCurated = header +
	row("region:durand-line", "region", "Durand Line", "", "", "", "", "32", "69.5", "", "approximate") +
	row("iso3166:PK", "+", "", "", "", "", "", "", "", "", "", "", "", "Islamic Republic of Pakistan", "PK", "Pakistani") +
	row("geonames:1183606", "+", "", "", "", "", "PK-BA", "", "", "", "", "", "", "Baluchistan")

func gz(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestLoad(t *testing.T) {
	for _, compressed := range []bool{false, true} {
		data := []byte(testPlaces)
		if compressed {
			data = gz(t, testPlaces)
		}
		g, err := gazetteer.Load(bytes.NewReader(data), strings.NewReader(testCurated))
		if err != nil {
			t.Fatalf("Load(gzip=%v): %v", compressed, err)
		}
		if got, want := len(g.Places()), 5; got != want {
			t.Fatalf("len(Places) = %d, want %d", got, want)
		}
		ps := g.Lookup("Baluchistan")
		if len(ps) != 1 || ps[0].ISO3166_2 != "PK-BA" {
			t.Errorf("Lookup(Baluchistan) = %+v", ps)
		}
		city, _ := g.ByID("geonames:1170706")
		if city.ISO3166_2 != "PK-BA" {
			t.Errorf("city ISO3166_2 = %q, want inherited PK-BA", city.ISO3166_2)
		}
		if ps := g.Lookup("mastang"); len(ps) != 1 || ps[0].ID != "geonames:1170706" {
			t.Errorf("Lookup(mastang) = %+v", ps)
		}
		if ps := g.Lookup("PK"); len(ps) != 1 || ps[0].Kind != gazetteer.KindCountry {
			t.Errorf("Lookup(PK) = %+v", ps)
		}
		if ps := g.Lookup("pk"); len(ps) != 0 {
			t.Errorf("Lookup(pk) = %+v, want none", ps)
		}
		if p, ok := g.CountryOfDemonym("pakistani"); !ok || p.ID != "iso3166:PK" {
			t.Errorf("CountryOfDemonym = %+v, %v", p, ok)
		}
		isl := g.Lookup("Islamabad")
		if len(isl) != 1 || !isl[0].IsCapital {
			t.Errorf("Lookup(Islamabad) = %+v", isl)
		}
		// Islamabad's admin1 PK.08 is absent: the parent falls back to the country.
		if p, ok := g.Parent(isl[0]); !ok || p.ID != "iso3166:PK" {
			t.Errorf("Parent(Islamabad) = %s, %v", p.ID, ok)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, places, curated string }{
		{"columns", "a\tb\n", ""},
		{"too many columns", strings.TrimSuffix(row("x:1", "city", "X"), "\n") + "\textra\n", ""},
		{"kind", row("x:1", "town", "X"), ""},
		{"empty id", row("", "city", "X"), ""},
		{"empty name", row("x:1", "city", ""), ""},
		{"duplicate", row("x:1", "city", "X") + row("x:1", "city", "Y"), ""},
		{"latitude", row("x:1", "city", "X", "", "", "", "", "91", "0"), ""},
		{"longitude", row("x:1", "city", "X", "", "", "", "", "0", "east"), ""},
		{"population", row("x:1", "city", "X", "", "", "", "", "0", "0", "-5"), ""},
		{"extend unknown", testPlaces, row("x:9", "+", "", "", "", "", "", "", "", "", "", "", "", "Y")},
		{"gzip", "\x1f\x8bnot gzip", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gazetteer.Load(strings.NewReader(tt.places), strings.NewReader(tt.curated))
			if err == nil {
				t.Fatal("Load succeeded, want error")
			}
			if got, want := faultline.ErrorCode(err), faultline.EINVALID; got != want {
				t.Errorf("ErrorCode = %q, want %q (%v)", got, want, err)
			}
		})
	}
}

func BenchmarkDefault(b *testing.B) {
	// Default caches; measure the parse it does once, on the embedded data.
	for b.Loop() {
		if _, err := gazetteer.LoadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	g := mustDefault(b)
	for b.Loop() {
		g.Lookup("Balochistan")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(testPlaces, testCurated)
	f.Add(row("x:1", "city", "Ünïcode Çity", "", "", "", "", "-90", "180", "0"), "")
	f.Add("#only a comment\n\n", "")
	f.Add(row("x:1", "region", "A|B", "", "", "", "", "", "", "", "", "", "", "|a||b|", "U.S.|us", "x"), "")
	f.Fuzz(func(t *testing.T, places, curated string) {
		g, err := gazetteer.Load(strings.NewReader(places), strings.NewReader(curated))
		g2, err2 := gazetteer.Load(strings.NewReader(places), strings.NewReader(curated))
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Load not deterministic: %v then %v", err, err2)
		}
		if err != nil {
			return
		}
		ps := g.Places()
		if !reflect.DeepEqual(ps, g2.Places()) {
			t.Fatal("Load not deterministic: places differ")
		}
		for _, p := range ps {
			if got, ok := g.ByID(p.ID); !ok || got.Name != p.Name {
				t.Fatalf("ByID(%q) = %v", p.ID, ok)
			}
			if faultline.NormalizeName(p.Name) == "" {
				continue
			}
			found := false
			for _, q := range g.Lookup(p.Name) {
				found = found || q.ID == p.ID
			}
			if !found {
				t.Fatalf("Lookup(%q) misses %s", p.Name, p.ID)
			}
			g.Parent(p)
			for _, d := range p.Demonyms {
				g.CountryOfDemonym(d)
			}
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Al-Qa'ida", "the Hague", "  The  Levant ", "U.S.", "Kōbe", "there", "the", "THE X", "a\tb\x00c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := gazetteer.Normalize(s), faultline.NormalizeName(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q as faultline.NormalizeName", s, got, want)
		}
	})
}
