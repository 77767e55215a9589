package extract

import (
	"strings"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
)

// ref is one known actor or place the lexicon can name.
type ref struct {
	key     string
	name    string
	typ     faultline.EntityType
	place   bool
	kind    gazetteer.Kind
	pop     int64
	capital bool
	country string // ISO 3166-1 alpha-2
	parent  string // key of the ref this one is part of (a dictionary entry's parent)
	curated bool   // hand-curated dictionary entry (preferred on ties)
	extIDs  []faultline.ExternalID
	lat     *float64
	lon     *float64
}

// lexEntry is what a trie node's name resolves to.
type lexEntry struct {
	ref int32
	// cs, when set, is the alphanumeric surface that the text must match
	// with exact case (acronyms such as "US", "IS", "LJ").
	cs string
}

type edge struct {
	node int32
	tok  string
}

// lexicon is a token trie over every name and alias of the dictionary and
// the gazetteer: matching walks tokens, so spacing, hyphens and
// apostrophes do not matter ("Lashkar-e-Taiba" = "Lashkar e Taiba").
type lexicon struct {
	refs     []ref
	edges    map[edge]int32
	terms    map[int32][]lexEntry
	nodes    int32
	demonyms map[string]int32 // folded demonym → country ref
	byKey    map[string]int32
}

func newLexicon() *lexicon {
	return &lexicon{edges: map[edge]int32{}, terms: map[int32][]lexEntry{}, nodes: 1, demonyms: map[string]int32{}, byKey: map[string]int32{}}
}

func (l *lexicon) addRef(r ref) int32 {
	if i, ok := l.byKey[r.key]; ok {
		return i
	}
	l.refs = append(l.refs, r)
	i := int32(len(l.refs) - 1)
	l.byKey[r.key] = i
	return i
}

// addName indexes one surface form of ref i.
func (l *lexicon) addName(i int32, name string, caseSensitive bool) {
	toks := foldTokens(name)
	if len(toks) == 0 || (len(toks) == 1 && len([]rune(toks[0])) < 2) {
		return
	}
	n := int32(0)
	for _, t := range toks {
		next, ok := l.edges[edge{n, t}]
		if !ok {
			next = l.nodes
			l.nodes++
			l.edges[edge{n, t}] = next
		}
		n = next
	}
	e := lexEntry{ref: i}
	if caseSensitive {
		e.cs = faultline.CaseKey(name)
	}
	for _, have := range l.terms[n] {
		if have == e {
			return
		}
	}
	l.terms[n] = append(l.terms[n], e)
}

func countryKey(code string) string { return "iso3166:" + strings.ToUpper(code) }

// buildLexicon indexes the gazetteer first, so that dictionary countries
// join the gazetteer's country places through their ISO code.
func buildLexicon(d *dictionary.Dictionary, g *gazetteer.Gazetteer) *lexicon {
	l := newLexicon()
	for _, p := range g.Places() {
		typ := faultline.Location
		if p.Kind == gazetteer.KindCountry {
			typ = faultline.Country
		}
		lat, lon := p.Lat, p.Lon
		r := ref{key: p.ID, name: p.Name, typ: typ, place: true, kind: p.Kind, pop: p.Population,
			capital: p.IsCapital, country: p.CountryCode, lat: &lat, lon: &lon}
		if p.Kind == gazetteer.KindCountry {
			r.key = countryKey(p.CountryCode)
			r.extIDs = []faultline.ExternalID{{Scheme: "iso3166", Value: p.CountryCode}}
		} else if strings.HasPrefix(p.ID, "geonames:") {
			r.extIDs = []faultline.ExternalID{{Scheme: "geonames", Value: strings.TrimPrefix(p.ID, "geonames:")}}
		}
		i := l.addRef(r)
		l.addName(i, p.Name, false)
		for _, a := range p.Aliases {
			l.addName(i, a, false)
		}
		for _, a := range p.CaseSensitiveAliases {
			l.addName(i, a, true)
		}
		for _, dm := range p.Demonyms {
			if toks := foldTokens(dm); len(toks) == 1 {
				l.demonyms[toks[0]] = i
			}
		}
	}
	for _, e := range d.Entries() {
		var i int32
		iso := ""
		for _, x := range e.ExternalIDs {
			if x.Scheme == "iso3166" && len(x.Value) == 2 {
				iso = x.Value
			}
		}
		if e.Type == faultline.Country && iso != "" {
			if ci, ok := l.byKey[countryKey(iso)]; ok {
				i = ci
				l.refs[i].extIDs = mergeIDs(l.refs[i].extIDs, e.ExternalIDs)
			} else {
				i = l.addRef(ref{key: countryKey(iso), name: e.Name, typ: faultline.Country, country: iso, extIDs: e.ExternalIDs})
			}
		} else {
			parent := e.Parent
			if strings.HasPrefix(parent, "country-") {
				parent = countryKey(strings.TrimPrefix(parent, "country-"))
			}
			i = l.addRef(ref{key: e.Key, name: e.Name, typ: e.Type, country: e.Country, parent: parent,
				curated: !strings.HasPrefix(e.Key, "un-") && !strings.HasPrefix(e.Key, "ofac-") && !strings.HasPrefix(e.Key, "ucdp-"),
				extIDs:  e.ExternalIDs})
		}
		cs := map[string]bool{}
		for _, c := range e.CaseSensitive {
			cs[c] = true
		}
		for _, n := range e.Names() {
			l.addName(i, n, cs[n])
		}
	}
	return l
}

func mergeIDs(a, b []faultline.ExternalID) []faultline.ExternalID {
	seen := map[faultline.ExternalID]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			a = append(a, x)
			seen[x] = true
		}
	}
	return a
}

// match is one lexicon hit: tokens [i, j] of a sentence and the entries
// whose name they spell.
type match struct {
	i, j    int
	entries []lexEntry
}

// longest returns the longest lexicon match starting at token i whose
// entries survive the case checks, or ok=false.
func (l *lexicon) longest(text string, toks []token, i int) (match, bool) {
	var best match
	found := false
	// acceptCase never takes a name that opens with a lower-case word
	// other than a particle, so most tokens need no lookup at all.
	if t := toks[i]; !t.cap && !t.num && !lowerParticles[t.fold] {
		return best, false
	}
	n := int32(0)
	for j := i; j < len(toks); j++ {
		if j > i && !joinable(gap(text, toks[j-1], toks[j])) {
			break
		}
		next, ok := l.edges[edge{n, toks[j].fold}]
		if !ok {
			break
		}
		n = next
		if ents := l.terms[n]; len(ents) > 0 {
			if ok := acceptCase(text, toks[i:j+1], ents); len(ok) > 0 {
				best = match{i: i, j: j, entries: ok}
				found = true
			}
		}
	}
	return best, found
}

// lowerParticles may start a name in lower case: "al-Qaeda", "ad-Din".
var lowerParticles = setOf("al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "ud", "ul", "ur", "bin", "ibn", "de", "da", "van", "von")

// acceptCase keeps the entries whose case rules the tokens meet: a
// case-sensitive form must match exactly; any other needs a capitalised
// first token (or a lower-case particle followed by a capital).
func acceptCase(text string, toks []token, ents []lexEntry) []lexEntry {
	var surface string
	var out []lexEntry
	for _, e := range ents {
		if e.cs != "" {
			if surface == "" {
				var b strings.Builder
				for _, t := range toks {
					b.WriteString(text[t.s:t.e])
				}
				surface = b.String()
			}
			if surface == e.cs {
				out = append(out, e)
			}
			continue
		}
		first := toks[0]
		okCase := first.cap || first.num
		// Upper-case text is an acronym unless the name is one: "BLA" is
		// not the town of Bla.
		allUpper := true
		for _, t := range toks {
			allUpper = allUpper && t.upper
		}
		if allUpper {
			okCase = false
		}
		if !okCase && lowerParticles[first.fold] && len(toks) > 1 && toks[1].cap {
			okCase = true
		}
		// A lone all-lower-case word is a common noun ("police", "army").
		if okCase {
			out = append(out, e)
		}
	}
	return out
}
