package gazetteer_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline/gazetteer"
)

// mustDefault returns the embedded gazetteer or fails the test.
func mustDefault(tb testing.TB) *gazetteer.Gazetteer {
	tb.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return g
}

// find returns the first place of kind k (and country cc, when set) in ps.
func find(ps []gazetteer.Place, k gazetteer.Kind, cc string) (gazetteer.Place, bool) {
	for _, p := range ps {
		if p.Kind == k && (cc == "" || p.CountryCode == cc) {
			return p, true
		}
	}
	return gazetteer.Place{}, false
}

func TestLookup(t *testing.T) {
	g := mustDefault(t)
	tests := []struct {
		query      string
		kind       gazetteer.Kind
		cc         string
		wantName   string
		wantAdmin1 string
		wantParent string // ID of Parent, "" to skip
		capital    bool
		first      bool // the match must be the best (first) result
	}{
		{query: "Balochistan", kind: gazetteer.KindAdmin1, cc: "PK", wantName: "Balochistan", wantAdmin1: "PK.02", wantParent: "iso3166:PK", first: true},
		{query: "Baluchistan", kind: gazetteer.KindAdmin1, cc: "PK", wantName: "Balochistan", wantAdmin1: "PK.02", first: true},
		{query: "baluchistan", kind: gazetteer.KindAdmin1, cc: "PK", wantName: "Balochistan", wantAdmin1: "PK.02"},
		{query: "Mastung", kind: gazetteer.KindCity, cc: "PK", wantName: "Mastung", wantAdmin1: "PK.02", wantParent: "geonames:1183606", first: true},
		{query: "Quetta", kind: gazetteer.KindCity, cc: "PK", wantName: "Quetta", wantAdmin1: "PK.02", first: true},
		{query: "Kerman", kind: gazetteer.KindCity, cc: "IR", wantName: "Kerman", wantAdmin1: "IR.29"},
		{query: "Kerman", kind: gazetteer.KindAdmin1, cc: "IR", wantName: "Kerman", wantAdmin1: "IR.29", wantParent: "iso3166:IR", first: true},
		{query: "Moscow", kind: gazetteer.KindCity, cc: "RU", wantName: "Moscow", capital: true},
		{query: "Kabul", kind: gazetteer.KindCity, cc: "AF", wantName: "Kabul", wantAdmin1: "AF.13", capital: true},
		{query: "Islamabad", kind: gazetteer.KindCity, cc: "PK", wantName: "Islamabad", wantAdmin1: "PK.08", capital: true},
		{query: "Pakistan", kind: gazetteer.KindCountry, cc: "PK", wantName: "Pakistan", first: true},
		{query: "Burma", kind: gazetteer.KindCountry, cc: "MM", wantName: "Myanmar", first: true},
		{query: "Great Britain", kind: gazetteer.KindCountry, cc: "GB", wantName: "United Kingdom", first: true},
		{query: "US", kind: gazetteer.KindCountry, cc: "US", wantName: "United States", first: true},
		{query: "U.S.", kind: gazetteer.KindCountry, cc: "US", wantName: "United States", first: true},
		{query: "UAE", kind: gazetteer.KindCountry, cc: "AE", wantName: "United Arab Emirates", first: true},
		{query: "Durand Line", kind: gazetteer.KindRegion, wantName: "Durand Line", first: true},
		{query: "central asia", kind: gazetteer.KindRegion, wantName: "Central Asia", first: true},
		{query: "South Asia", kind: gazetteer.KindRegion, wantName: "South Asia", first: true},
		{query: "FATA", kind: gazetteer.KindRegion, cc: "PK", wantName: "Federally Administered Tribal Areas", wantParent: "iso3166:PK", first: true},
		{query: "Khyber-Pakhtunkhwa", kind: gazetteer.KindAdmin1, cc: "PK", wantName: "Khyber Pakhtunkhwa", wantAdmin1: "PK.03", first: true},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+string(tt.kind), func(t *testing.T) {
			ps := g.Lookup(tt.query)
			if len(ps) == 0 {
				t.Fatalf("Lookup(%q) = none", tt.query)
			}
			p, ok := find(ps, tt.kind, tt.cc)
			if !ok {
				t.Fatalf("Lookup(%q): no %s in %s among %d results", tt.query, tt.kind, tt.cc, len(ps))
			}
			if tt.first && ps[0].ID != p.ID {
				t.Errorf("Lookup(%q)[0] = %s %q, want %s %q first", tt.query, ps[0].ID, ps[0].Name, p.ID, p.Name)
			}
			if got, want := p.Name, tt.wantName; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			if tt.wantAdmin1 != "" && p.Admin1 != tt.wantAdmin1 {
				t.Errorf("Admin1 = %q, want %q", p.Admin1, tt.wantAdmin1)
			}
			if got, want := p.IsCapital, tt.capital; got != want {
				t.Errorf("IsCapital = %v, want %v", got, want)
			}
			if p.Kind != gazetteer.KindCountry && p.Precision == gazetteer.PrecisionNone {
				t.Errorf("Precision = none for %s", p.ID)
			}
			if tt.wantParent != "" {
				parent, ok := g.Parent(p)
				if !ok || parent.ID != tt.wantParent {
					t.Errorf("Parent(%s) = %s, %v, want %s", p.ID, parent.ID, ok, tt.wantParent)
				}
			}
		})
	}
}

func TestLookupCaseSensitiveAcronyms(t *testing.T) {
	g := mustDefault(t)
	for _, q := range []string{"us", "uk", "uae"} {
		for _, p := range g.Lookup(q) {
			if p.Kind == gazetteer.KindCountry {
				t.Errorf("Lookup(%q) gave country %s; acronyms must match exact case", q, p.ID)
			}
		}
	}
	if ps := g.Lookup("no such place anywhere"); ps != nil {
		t.Errorf("Lookup(unknown) = %v, want nil", ps)
	}
}

func TestCountry(t *testing.T) {
	g := mustDefault(t)
	tests := []struct {
		code, wantID, wantCapital string
		wantISO3                  string
	}{
		{"PK", "iso3166:PK", "Islamabad", "PAK"},
		{"PAK", "iso3166:PK", "Islamabad", "PAK"},
		{"pk", "iso3166:PK", "Islamabad", "PAK"},
		{"AF", "iso3166:AF", "Kabul", "AFG"},
		{"IRN", "iso3166:IR", "Tehran", "IRN"},
	}
	for _, tt := range tests {
		p, ok := g.Country(tt.code)
		if !ok {
			t.Errorf("Country(%q) not found", tt.code)
			continue
		}
		if p.ID != tt.wantID || p.Capital != tt.wantCapital || p.ISO3 != tt.wantISO3 {
			t.Errorf("Country(%q) = %s capital %q iso3 %q, want %s %q %q", tt.code, p.ID, p.Capital, p.ISO3, tt.wantID, tt.wantCapital, tt.wantISO3)
		}
		if p.Precision != gazetteer.PrecisionCapital || p.Lat == 0 {
			t.Errorf("Country(%q) point %v,%v precision %q, want the capital's", tt.code, p.Lat, p.Lon, p.Precision)
		}
		if _, ok := g.Parent(p); ok {
			t.Errorf("Parent(country %s) found, want none", p.ID)
		}
	}
	if _, ok := g.Country("ZZ"); ok {
		t.Error(`Country("ZZ") found`)
	}
	pk, _ := g.Country("PK")
	for _, d := range pk.Demonyms {
		for _, a := range pk.Aliases {
			if strings.EqualFold(a, d) {
				t.Errorf("demonym %q is also an alias of Pakistan", d)
			}
		}
	}
}

func TestCountryOfDemonym(t *testing.T) {
	g := mustDefault(t)
	tests := []struct{ word, want string }{
		{"Pakistani", "PK"}, {"Afghan", "AF"}, {"afghan", "AF"}, {"Iranian", "IR"}, {"Indian", "IN"},
		{"American", "US"}, {"Russian", "RU"}, {"Chinese", "CN"}, {"Saudi", "SA"}, {"Iraqi", "IQ"},
		{"Syrian", "SY"}, {"Yemeni", "YE"}, {"Somali", "SO"}, {"Nigerian", "NG"}, {"Malian", "ML"},
		{"Israeli", "IL"}, {"Palestinian", "PS"}, {"Turkish", "TR"}, {"Egyptian", "EG"},
		{"Libyan", "LY"}, {"British", "GB"}, {"French", "FR"}, {"German", "DE"}, {"Burmese", "MM"},
		{"Congolese", "CD"},
	}
	for _, tt := range tests {
		p, ok := g.CountryOfDemonym(tt.word)
		if !ok || p.CountryCode != tt.want || p.Kind != gazetteer.KindCountry {
			t.Errorf("CountryOfDemonym(%q) = %s, %v, want %s", tt.word, p.ID, ok, tt.want)
		}
	}
	if p, ok := g.CountryOfDemonym("Pakistan"); ok {
		t.Errorf("CountryOfDemonym(Pakistan) = %s, want none", p.ID)
	}
	for _, p := range g.Lookup("Afghan") {
		if p.Kind == gazetteer.KindCountry {
			t.Errorf("Lookup(Afghan) gave country %s; demonyms are not names", p.ID)
		}
	}
}

func TestCuratedRegions(t *testing.T) {
	g := mustDefault(t)
	n := 0
	for _, p := range g.Places() {
		if p.Kind != gazetteer.KindRegion {
			continue
		}
		n++
		if !strings.HasPrefix(p.ID, "region:") || p.Precision != gazetteer.PrecisionApproximate {
			t.Errorf("region %s: precision %q", p.ID, p.Precision)
		}
		if p.Lat == 0 && p.Lon == 0 {
			t.Errorf("region %s has no point", p.ID)
		}
		if p.CountryCode != "" {
			if _, ok := g.Country(p.CountryCode); !ok {
				t.Errorf("region %s: unknown country %q", p.ID, p.CountryCode)
			}
		}
	}
	if n < 30 {
		t.Errorf("%d curated regions, want at least 30", n)
	}
	p, ok := g.ByID("region:durand-line")
	if !ok || p.Name != "Durand Line" {
		t.Errorf("ByID(region:durand-line) = %+v, %v", p, ok)
	}
}

func TestPlacesStableAndKinds(t *testing.T) {
	g := mustDefault(t)
	a, b := g.Places(), g.Places()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("Places: %d then %d", len(a), len(b))
	}
	count := map[gazetteer.Kind]int{}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Fatalf("Places()[%d] = %s then %s", i, a[i].ID, b[i].ID)
		}
		count[a[i].Kind]++
		if got, ok := g.ByID(a[i].ID); !ok || got.Name != a[i].Name {
			t.Fatalf("ByID(%s) = %v", a[i].ID, ok)
		}
	}
	t.Logf("places per kind: %v", count)
	if count[gazetteer.KindCountry] < 250 || count[gazetteer.KindAdmin1] < 3800 || count[gazetteer.KindCity] < 32000 {
		t.Errorf("places per kind = %v", count)
	}
}

// sharedGeonames finds the GeoNames extracts next to the repository
// (/work/shared beside /work/main), from the package directory.
func sharedGeonames() string {
	for _, dir := range []string{"../../shared/data/geonames", "../shared/data/geonames"} {
		if _, err := os.Stat(filepath.Join(dir, "cities15000.zip")); err == nil {
			return dir
		}
	}
	return ""
}

func TestGeneratorDeterministic(t *testing.T) {
	src := sharedGeonames()
	if src == "" {
		t.Skip("GeoNames extracts not found at ../../shared/data/geonames or ../shared/data/geonames; skipping generator check")
	}
	if testing.Short() {
		t.Skip("-short: skipping generator run")
	}
	want, err := os.ReadFile("data/places.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "places.tsv.gz")
	cmd := exec.Command("go", "run", "../tools/gengazetteer", "-src", abs, "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gengazetteer: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated file (%d bytes) differs from committed data/places.tsv.gz (%d bytes); rerun go run ./tools/gengazetteer", len(got), len(want))
	}
}
