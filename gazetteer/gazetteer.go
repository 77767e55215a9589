// Package gazetteer resolves place names to countries, first-level
// administrative regions (admin1), cities and named regions with
// coordinates.
//
// The data is embedded: data/places.tsv.gz is generated from GeoNames
// (countryInfo, admin1CodesASCII, cities15000; CC BY 4.0) by
// tools/gengazetteer, and data/curated.tsv is written by hand and merged over
// it: regional names such as "Durand Line" or "Sahel", country demonyms,
// common short names ("Burma", "UK") and acronyms.
//
// The package is hand-written because no Go module embeds GeoNames
// (see data/MANIFEST.md section 8 of the shared data set):
// github.com/biter777/countries has ISO 3166 codes and names but no
// coordinates and no cities, github.com/pariz/gountries has coordinates but
// stale subdivisions (Pakistan's "North-West Frontier", "Northern Areas"),
// the Natural Earth modules are not available from the module proxy, and
// the geobed forks download GeoNames at run time.
//
// Names are matched through faultline.NormalizeName, so case, accents and
// punctuation do not matter, except for the acronyms in
// Place.CaseSensitiveAliases ("US", "UK", "UAE"), which match only with the
// exact case so that the pronoun "us" is not the United States.
package gazetteer

import (
	"bytes"
	_ "embed"
	"sort"
	"strings"
	"sync"

	"github.com/faultline-osint/faultline"
)

// Kind says what sort of place a Place is.
type Kind string

// The kinds of place, in the order Lookup ranks them.
const (
	KindCountry Kind = "country" // a country or territory with an ISO 3166-1 code
	KindAdmin1  Kind = "admin1"  // a first-level subdivision (province, state)
	KindRegion  Kind = "region"  // a curated named region ("Sahel", "Durand Line")
	KindCity    Kind = "city"    // a populated place of 15,000 or more people
)

// Precision values say where a Place's coordinates come from.
const (
	PrecisionPoint       = "point"        // the place's own GeoNames point (cities)
	PrecisionCapital     = "capital"      // a country placed at its capital city
	PrecisionAdminSeat   = "admin-seat"   // an admin1 region placed at its seat (PPLA city)
	PrecisionLargestCity = "largest-city" // placed at its most populous city
	PrecisionApproximate = "approximate"  // a curated representative point
	PrecisionNone        = "none"         // no coordinates known; Lat and Lon are 0
)

// Place is one gazetteer entry. Its slices are shared with the Gazetteer
// and must not be modified.
type Place struct {
	// ID is stable across data updates: "geonames:1168579" for admin1 rows
	// and cities, "iso3166:PK" for countries, "region:durand-line" for
	// curated regions.
	ID   string
	Name string
	Kind Kind
	// CountryCode is the ISO 3166-1 alpha-2 code, "" for regions spanning
	// several countries.
	CountryCode string
	// ISO3 is the ISO 3166-1 alpha-3 code of a country.
	ISO3 string
	// Admin1 is the GeoNames admin1 code ("PK.02") of an admin1 row or of
	// the region a city lies in.
	Admin1 string
	// ISO3166_2 is the subdivision code ("PK-BA") where it is known.
	ISO3166_2 string
	Lat, Lon  float64
	// Precision is one of the Precision constants.
	Precision  string
	Population int64
	// Aliases are other names of the place, matched like Name.
	Aliases []string
	// CaseSensitiveAliases are acronyms that match only with exact case
	// (dots ignored: "U.S." matches "US").
	CaseSensitiveAliases []string
	// Demonyms are a country's adjectives and nouns for its people
	// ("Pakistani"); they are not names of the country.
	Demonyms []string
	// Capital is a country's capital city name.
	Capital string
	// IsCapital marks the capital city of its country, which lets
	// extractors read "Islamabad said" as the Pakistani state.
	IsCapital bool
}

// Gazetteer is an immutable, indexed set of places, safe for concurrent use.
type Gazetteer struct {
	places    []Place
	byID      map[string]int32
	byName    map[string]int32   // NormalizeName of name and aliases; see addName
	multi     [][]int32          // places sharing a name; see addName
	slab      []string           // backing array of the list fields, used while loading
	byAcronym map[string][]int32 // faultline.CaseKey of case-sensitive aliases
	byDemonym map[string][]int32 // NormalizeName of demonyms
	countries map[string]int32   // ISO2 and ISO3, upper case
	admin1    map[string]int32   // GeoNames admin1 code
}

//go:embed data/places.tsv.gz
var placesData []byte

//go:embed data/curated.tsv
var curatedData []byte

var (
	defaultOnce sync.Once
	defaultG    *Gazetteer
	defaultErr  error
)

// Default returns the gazetteer built from the embedded data. It is parsed
// on the first call and shared afterwards.
func Default() (*Gazetteer, error) {
	defaultOnce.Do(func() {
		defaultG, defaultErr = Load(bytes.NewReader(placesData), bytes.NewReader(curatedData))
	})
	return defaultG, defaultErr
}

// Places returns every place: countries, admin1 regions and cities in the
// order of the generated file, then curated regions in file order.
func (g *Gazetteer) Places() []Place {
	return append([]Place(nil), g.places...)
}

// Lookup returns the places called name, by name or alias, best first:
// countries, then admin1 regions, curated regions and cities, each by
// population, largest first. It returns nil when nothing matches.
func (g *Gazetteer) Lookup(name string) []Place {
	hits := g.names(normalize(name))
	if ac := g.byAcronym[faultline.CaseKey(name)]; len(ac) > 0 {
		hits = append(append([]int32(nil), hits...), ac...)
	}
	if len(hits) == 0 {
		return nil
	}
	idx := append([]int32(nil), hits...)
	sort.Slice(idx, func(i, j int) bool { return g.less(idx[i], idx[j]) })
	out := make([]Place, 0, len(idx))
	for i, k := range idx {
		if i > 0 && k == idx[i-1] {
			continue
		}
		out = append(out, g.places[k])
	}
	return out
}

// Country returns the country with the ISO 3166-1 alpha-2 or alpha-3 code,
// in any case.
func (g *Gazetteer) Country(code string) (Place, bool) {
	i, ok := g.countries[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// ByID returns the place with the given ID.
func (g *Gazetteer) ByID(id string) (Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// CountryOfDemonym returns the country whose demonym is word
// ("Pakistani", "afghan"). When several countries share a demonym
// ("Congolese") the most populous wins.
func (g *Gazetteer) CountryOfDemonym(word string) (Place, bool) {
	hits := g.byDemonym[normalize(word)]
	if len(hits) == 0 {
		return Place{}, false
	}
	best := hits[0]
	for _, k := range hits[1:] {
		if g.less(k, best) {
			best = k
		}
	}
	return g.places[best], true
}

// Parent returns the place that contains p: a city's admin1 region (or its
// country when the region is unknown), an admin1 region's country, a
// single-country region's country. Countries have no parent.
func (g *Gazetteer) Parent(p Place) (Place, bool) {
	switch p.Kind {
	case KindCountry:
		return Place{}, false
	case KindCity:
		if i, ok := g.admin1[p.Admin1]; ok && p.Admin1 != "" {
			return g.places[i], true
		}
	}
	if p.CountryCode == "" {
		return Place{}, false
	}
	return g.Country(p.CountryCode)
}

var kindRank = map[Kind]int{KindCountry: 0, KindAdmin1: 1, KindRegion: 2, KindCity: 3}

// less orders places for Lookup: by kind, then population descending, then
// ID, so equal names always come back in the same order.
func (g *Gazetteer) less(i, j int32) bool {
	a, b := &g.places[i], &g.places[j]
	if ra, rb := kindRank[a.Kind], kindRank[b.Kind]; ra != rb {
		return ra < rb
	}
	if a.Population != b.Population {
		return a.Population > b.Population
	}
	if a.ID != b.ID {
		return a.ID < b.ID
	}
	return i < j
}

// LoadEmbedded parses the embedded data afresh, without Default's cache.
// It exists for benchmarks and for callers that want a private copy.
func LoadEmbedded() (*Gazetteer, error) {
	return Load(bytes.NewReader(placesData), bytes.NewReader(curatedData))
}
