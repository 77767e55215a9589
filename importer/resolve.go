package importer

import (
	"math"
	"regexp"
	"strings"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
)

// resolver maps list ids and place names to the keys the extractor gives
// the same actors and places, so that imported records and extracted
// mentions meet on one entity.
type resolver struct {
	dict      *dictionary.Dictionary
	gaz       *gazetteer.Gazetteer
	byExt     map[faultline.ExternalID]dictionary.Entry
	places    map[placeQuery]*gazetteer.Place
	countries map[string]string // country name → ISO code
	norms     map[string]string // faultline.NormalizeName, memoised
}

func newResolver(d *dictionary.Dictionary, g *gazetteer.Gazetteer) *resolver {
	r := &resolver{dict: d, gaz: g, byExt: map[faultline.ExternalID]dictionary.Entry{}, places: map[placeQuery]*gazetteer.Place{},
		countries: map[string]string{}, norms: map[string]string{}}
	if d != nil {
		for _, e := range d.Entries() {
			for _, x := range e.ExternalIDs {
				if _, dup := r.byExt[x]; !dup {
					r.byExt[x] = e
				}
			}
		}
	}
	return r
}

// actor completes an entity from the dictionary entry that carries one of
// its external ids: the entry's key (as the extractor gives it), name,
// type, aliases and other ids. The record's own name stays as an alias.
// An entity no entry knows is returned as it is.
func (r *resolver) actor(e faultline.ImportEntity) faultline.ImportEntity {
	var entry dictionary.Entry
	found := false
	for _, x := range e.ExternalIDs {
		if entry, found = r.byExt[x]; found {
			break
		}
	}
	if !found {
		return e
	}
	return complete(e, entry)
}

// named completes an entity from the one dictionary entry of a compatible
// type its name (or its name without a trailing parenthesis, as in ACLED's
// "Taliban (Pakistan)") folds to. A name two entries share is left alone.
func (r *resolver) named(e faultline.ImportEntity) faultline.ImportEntity {
	if r.dict == nil {
		return e
	}
	for _, name := range []string{e.Name, trailingParen.ReplaceAllString(e.Name, "")} {
		var hits []dictionary.Entry
		for _, x := range r.dict.Lookup(name) {
			if faultline.SameKind(e.Type, x.Type) || (e.Type == faultline.GovernmentBody && x.Type == faultline.Country) {
				hits = append(hits, x)
			}
		}
		if len(hits) == 1 {
			return complete(e, hits[0])
		}
	}
	return e
}

var trailingParen = regexp.MustCompile(`\s*\([^()]*\)$`)

// complete fills an entity from its dictionary entry.
func complete(e faultline.ImportEntity, entry dictionary.Entry) faultline.ImportEntity {
	key, name := entry.Key, entry.Name
	iso := ""
	for _, x := range entry.ExternalIDs {
		if x.Scheme == "iso3166" && len(x.Value) == 2 {
			iso = x.Value
		}
	}
	if entry.Type == faultline.Country && iso != "" {
		// The extractor keys countries by ISO code, whether the
		// gazetteer or the dictionary found them.
		key = "iso3166:" + strings.ToUpper(iso)
	}
	out := faultline.ImportEntity{Ref: e.Ref, Name: name, Type: entry.Type, Key: key, Lat: e.Lat, Lon: e.Lon}
	// Keep the types close: a sanctioned charity the dictionary calls an
	// armed group stays what the record says only when the kinds differ.
	if !faultline.SameKind(e.Type, entry.Type) && e.Type != "" {
		out.Type = e.Type
	}
	out.Aliases = addAlias(out.Aliases, name, e.Name)
	for _, a := range e.Aliases {
		out.Aliases = addAlias(out.Aliases, name, a)
	}
	for _, a := range entry.Aliases {
		out.Aliases = addAlias(out.Aliases, name, a)
	}
	out.ExternalIDs = mergeIDs(e.ExternalIDs, entry.ExternalIDs)
	return out
}

func mergeIDs(a, b []faultline.ExternalID) []faultline.ExternalID {
	out := append([]faultline.ExternalID(nil), a...)
	for _, x := range b {
		dup := false
		for _, y := range out {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

type placeQuery struct {
	name, country string
	lat, lon      float64
	hasCoords     bool
}

// maxPlaceKm is how far a gazetteer city may lie from an event's
// coordinates and still be taken for the place the event names.
const maxPlaceKm = 30

// place finds the gazetteer place called name in the country (ISO 3166
// alpha-2 or alpha-3, "" for any) near the coordinates, if given: a city
// within maxPlaceKm, or a region or country of that name. Lookups are
// cached: an event table names the same places over and over.
func (r *resolver) place(name, country string, lat, lon *float64) *gazetteer.Place {
	if r.gaz == nil || name == "" {
		return nil
	}
	q := placeQuery{name: name, country: strings.ToUpper(country)}
	if lat != nil && lon != nil {
		q.lat, q.lon, q.hasCoords = *lat, *lon, true
	}
	if p, ok := r.places[q]; ok {
		return p
	}
	cc := ""
	if q.country != "" {
		if c, ok := r.gaz.Country(q.country); ok {
			cc = c.CountryCode
		}
	}
	var best *gazetteer.Place
	for _, p := range r.gaz.Lookup(name) {
		if cc != "" && p.CountryCode != cc {
			continue
		}
		if p.Kind == gazetteer.KindCity && q.hasCoords && km(p.Lat, p.Lon, q.lat, q.lon) > maxPlaceKm {
			continue
		}
		p := p
		best = &p
		break
	}
	q.name = strings.Clone(q.name)
	r.places[q] = best
	return best
}

// km is the great-circle distance between two points.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const R = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * R * math.Asin(math.Min(1, math.Sqrt(a)))
}

// norm is faultline.NormalizeName, memoised: an event table names the
// same actors and places row after row, and Unicode normalisation costs
// more than a map lookup.
func (r *resolver) norm(s string) string {
	n, ok := r.norms[s]
	if !ok {
		n = faultline.NormalizeName(s)
		if len(r.norms) < 1<<20 {
			r.norms[strings.Clone(s)] = n // not the whole CSV line the key is cut from
		}
	}
	return n
}

// countryCode returns the ISO 3166-1 alpha-2 code of the country the
// gazetteer knows by name, "" when it knows none.
func (r *resolver) countryCode(name string) string {
	if r.gaz == nil || name == "" {
		return ""
	}
	code, ok := r.countries[name]
	if !ok {
		for _, p := range r.gaz.Lookup(name) {
			if p.Kind == gazetteer.KindCountry {
				code = p.CountryCode
				break
			}
		}
		r.countries[strings.Clone(name)] = code
	}
	return code
}

// place adds to the batch the place an event row names and returns its
// ref: the gazetteer's place when it knows one of that name in the country
// near the coordinates, else a place of that name, at the coordinates when
// keepCoords (the row locates the place itself, not a region around it).
// "" when the name has no letters.
func (bt *batcher) place(res *resolver, prefix, name, country string, lat, lon *float64, keepCoords bool) string {
	norm := res.norm(name)
	if norm == "" {
		return ""
	}
	if p := res.place(name, country, lat, lon); p != nil {
		ref := "place:" + p.ID
		if !bt.ents[ref] {
			bt.entity(placeEntity(ref, p))
		}
		return ref
	}
	ref := prefix + norm + "|" + strings.ToUpper(country)
	if !bt.ents[ref] {
		e := faultline.ImportEntity{Ref: ref, Name: name, Type: faultline.Location}
		if keepCoords {
			e.Lat, e.Lon = lat, lon
		}
		bt.entity(e)
	}
	return ref
}

// placeEntity is the entity of a gazetteer place, keyed as the extractor
// keys it.
func placeEntity(ref string, p *gazetteer.Place) faultline.ImportEntity {
	e := faultline.ImportEntity{Ref: ref, Name: p.Name, Type: faultline.Location, Key: p.ID}
	if p.Kind == gazetteer.KindCountry {
		e.Type, e.Key = faultline.Country, "iso3166:"+p.CountryCode
		e.ExternalIDs = []faultline.ExternalID{{Scheme: "iso3166", Value: p.CountryCode}}
	} else if strings.HasPrefix(p.ID, "geonames:") {
		e.ExternalIDs = []faultline.ExternalID{{Scheme: "geonames", Value: strings.TrimPrefix(p.ID, "geonames:")}}
	}
	if p.Precision != gazetteer.PrecisionNone {
		e.Lat, e.Lon = floatPtr(p.Lat), floatPtr(p.Lon)
	}
	return e
}

// gazetteerPlace is a place of the gazetteer.
type gazetteerPlace = gazetteer.Place
