package gazetteer

import (
	"bufio"
	"compress/gzip"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
)

// The columns of places.tsv and curated.tsv, in order. Lists are separated
// by "|". tools/gengazetteer writes the same header.
const (
	colID = iota
	colKind
	colName
	colCC
	colISO3
	colAdmin1
	colISO31662
	colLat
	colLon
	colPopulation
	colPrecision
	colCapital
	colIsCapital
	colAliases
	colCSAliases
	colDemonyms
	numCols
)

// kindExtend marks a curated row that adds aliases, acronyms, demonyms or
// an ISO 3166-2 code to the place with the same ID instead of adding a
// place.
const kindExtend = "+"

// Load builds a gazetteer from a places file (plain or gzip-compressed
// TSV in the format of data/places.tsv.gz) and an optional curated file
// (nil for none) merged over it. Errors carry faultline.EINVALID and the
// line number.
func Load(places io.Reader, curated io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{byID: map[string]int32{}}
	if err := g.read(places, "places"); err != nil {
		return nil, err
	}
	if curated != nil {
		if err := g.read(curated, "curated"); err != nil {
			return nil, err
		}
	}
	g.index()
	return g, nil
}

// read parses one file into g.places. The whole (decompressed) file
// becomes one string and every field is a substring of it, which keeps
// loading the embedded data to a few allocations per place.
func (g *Gazetteer) read(r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return faultline.Errorf(faultline.EINVALID, "gazetteer %s: %w", name, err)
		}
		defer zr.Close()
		src = zr
	}
	data, err := io.ReadAll(src)
	if err != nil {
		return faultline.Errorf(faultline.EINVALID, "gazetteer %s: %w", name, err)
	}
	text := string(data)
	lines := strings.Count(text, "\n") + 1
	if g.places == nil {
		g.places = make([]Place, 0, lines)
		g.byID = make(map[string]int32, lines)
	}
	var cols [numCols]string
	for line := 1; text != ""; line++ {
		var l string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			l, text = text, ""
		}
		l = strings.TrimRight(l, "\r")
		if l == "" || l[0] == '#' {
			continue
		}
		if perr := g.parseLine(l, &cols); perr != nil {
			return faultline.Errorf(faultline.EINVALID, "gazetteer %s:%d: %w", name, line, perr)
		}
	}
	return nil
}

type lineError string

func (e lineError) Error() string { return string(e) }

func (g *Gazetteer) parseLine(text string, cols *[numCols]string) error {
	n := 0
	for n < numCols-1 {
		i := strings.IndexByte(text, '\t')
		if i < 0 {
			break
		}
		cols[n], text = text[:i], text[i+1:]
		n++
	}
	cols[n] = text
	n++
	if n != numCols || strings.IndexByte(text, '\t') >= 0 {
		return lineError("want " + strconv.Itoa(numCols) + " tab-separated columns")
	}
	id := cols[colID]
	if id == "" {
		return lineError("empty id")
	}
	if cols[colKind] == kindExtend {
		k, ok := g.byID[id]
		if !ok {
			return lineError("extends unknown place " + strconv.Quote(id))
		}
		p := &g.places[k]
		if v := cols[colISO31662]; v != "" {
			p.ISO3166_2 = v
		}
		p.Aliases = g.appendList(p.Aliases, cols[colAliases])
		p.CaseSensitiveAliases = g.appendList(p.CaseSensitiveAliases, cols[colCSAliases])
		p.Demonyms = g.appendList(p.Demonyms, cols[colDemonyms])
		return nil
	}
	kind := Kind(cols[colKind])
	if _, ok := kindRank[kind]; !ok {
		return lineError("unknown kind " + strconv.Quote(cols[colKind]))
	}
	if cols[colName] == "" {
		return lineError("empty name")
	}
	if _, dup := g.byID[id]; dup {
		return lineError("duplicate id " + strconv.Quote(id))
	}
	p := Place{
		ID: id, Kind: kind, Name: cols[colName], CountryCode: cols[colCC], ISO3: cols[colISO3],
		Admin1: cols[colAdmin1], ISO3166_2: cols[colISO31662], Precision: cols[colPrecision],
		Capital: cols[colCapital], IsCapital: cols[colIsCapital] == "1",
		Aliases:              g.appendList(nil, cols[colAliases]),
		CaseSensitiveAliases: g.appendList(nil, cols[colCSAliases]),
		Demonyms:             g.appendList(nil, cols[colDemonyms]),
	}
	var err error
	if p.Lat, err = parseCoord(cols[colLat], 90); err != nil {
		return lineError("latitude " + strconv.Quote(cols[colLat]))
	}
	if p.Lon, err = parseCoord(cols[colLon], 180); err != nil {
		return lineError("longitude " + strconv.Quote(cols[colLon]))
	}
	if v := cols[colPopulation]; v != "" {
		if p.Population, err = strconv.ParseInt(v, 10, 64); err != nil || p.Population < 0 {
			return lineError("population " + strconv.Quote(v))
		}
	}
	if p.Precision == "" {
		p.Precision = PrecisionNone
	}
	g.byID[id] = int32(len(g.places))
	g.places = append(g.places, p)
	return nil
}

var errCoord = lineError("bad coordinate")

func parseCoord(s string, limit float64) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		return 0, errCoord
	}
	return v, nil
}

// appendList appends the non-empty "|"-separated items of s to list. A
// new list is carved from g.slab, one shared backing array, with its
// capacity capped so that a later append copies instead of overwriting
// the next place's list.
func (g *Gazetteer) appendList(list []string, s string) []string {
	if s == "" {
		return list
	}
	if list != nil {
		for s != "" {
			item, rest, _ := strings.Cut(s, "|")
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
			s = rest
		}
		return list
	}
	if cap(g.slab)-len(g.slab) < strings.Count(s, "|")+1 {
		g.slab = make([]string, 0, max(1<<14, strings.Count(s, "|")+1))
	}
	start := len(g.slab)
	for s != "" {
		item, rest, _ := strings.Cut(s, "|")
		if item = strings.TrimSpace(item); item != "" {
			g.slab = append(g.slab, item)
		}
		s = rest
	}
	if len(g.slab) == start {
		return nil
	}
	return g.slab[start:len(g.slab):len(g.slab)]
}

// index builds the lookup maps once all rows are in.
func (g *Gazetteer) index() {
	g.byName = make(map[string]int32, len(g.places)*3)
	g.multi = nil
	g.byAcronym = map[string][]int32{}
	g.byDemonym = map[string][]int32{}
	g.countries = map[string]int32{}
	g.admin1 = map[string]int32{}
	for i := range g.places {
		p := &g.places[i]
		switch p.Kind {
		case KindCountry:
			for _, c := range []string{p.CountryCode, p.ISO3} {
				if c != "" {
					g.countries[strings.ToUpper(c)] = int32(i)
				}
			}
		case KindAdmin1:
			if p.Admin1 != "" {
				g.admin1[p.Admin1] = int32(i)
			}
		}
	}
	var keys []string
	for i := range g.places {
		p := &g.places[i]
		k := int32(i)
		if p.Kind == KindCity && p.ISO3166_2 == "" {
			if a, ok := g.admin1[p.Admin1]; ok {
				p.ISO3166_2 = g.places[a].ISO3166_2
			}
		}
		keys = keys[:0]
		keys = appendKey(keys, p.Name)
		for _, a := range p.Aliases {
			keys = appendKey(keys, a)
		}
		for _, key := range keys {
			g.addName(key, k)
		}
		for _, a := range p.CaseSensitiveAliases {
			if key := faultline.CaseKey(a); key != "" && !containsIndex(g.byAcronym[key], k) {
				g.byAcronym[key] = append(g.byAcronym[key], k)
			}
		}
		for _, d := range p.Demonyms {
			if key := normalize(d); key != "" && !containsIndex(g.byDemonym[key], k) {
				g.byDemonym[key] = append(g.byDemonym[key], k)
			}
		}
	}
}

// appendKey adds the normalized form of name to keys unless it is empty or
// already there; a place has few names, so a linear scan is cheapest.
func appendKey(keys []string, name string) []string {
	key := normalize(name)
	if key == "" {
		return keys
	}
	for _, k := range keys {
		if k == key {
			return keys
		}
	}
	return append(keys, key)
}

func containsIndex(list []int32, k int32) bool {
	for _, v := range list {
		if v == k {
			return true
		}
	}
	return false
}

// normalize is faultline.NormalizeName with a fast path for ASCII input,
// which is most of the data: Unicode normalization leaves ASCII alone, so
// folding is lower-casing letters and digits and turning every run of
// other bytes into one space. FuzzNormalize checks the two agree.
func normalize(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return faultline.NormalizeName(s)
		}
	}
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
			space = false
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case !space:
			b = append(b, ' ')
			space = true
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return strings.TrimPrefix(string(b), "the ")
}

// addName indexes place k under key. Most keys name one place, so the map
// holds that place's index directly; a key naming several holds -(n+1),
// where g.multi[n] lists them all.
func (g *Gazetteer) addName(key string, k int32) {
	v, ok := g.byName[key]
	switch {
	case !ok:
		g.byName[key] = k
	case v >= 0:
		g.byName[key] = -int32(len(g.multi)) - 1
		g.multi = append(g.multi, []int32{v, k})
	default:
		g.multi[-v-1] = append(g.multi[-v-1], k)
	}
}

// names returns the places indexed under key.
func (g *Gazetteer) names(key string) []int32 {
	v, ok := g.byName[key]
	switch {
	case !ok:
		return nil
	case v >= 0:
		return []int32{v}
	}
	return g.multi[-v-1]
}
