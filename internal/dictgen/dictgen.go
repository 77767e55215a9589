// Package dictgen builds the bundled actor dictionary
// (dictionary/data/actors.jsonl) from the UN, OFAC, UCDP and GeoNames files
// in the shared data folder and the curated file dictionary/data/curated.yaml.
// It is the core of tools/gendict, kept in a package so that the dictionary
// tests can regenerate the data and compare it byte for byte.
package dictgen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"go.yaml.in/yaml/v3"
)

// Options says where the inputs are.
type Options struct {
	// Shared is the shared folder holding data/ (UN, OFAC, UCDP, GeoNames).
	Shared string
	// Curated is the path of curated.yaml.
	Curated string
	// Log, if set, receives notes on merges and skipped records.
	Log io.Writer
}

// Stats counts what a run read and wrote.
type Stats struct {
	// Read counts records read per source (curated, iso3166, un, ofac, ucdp).
	Read map[string]int
	// BySource counts output entries carrying an external id (or, for
	// curated, a curated key) of each source.
	BySource map[string]int
	// ByType counts output entries per type.
	ByType map[faultline.EntityType]int
	// Merged counts output entries built from records of two or more sources.
	Merged  int
	Entries int
}

type curatedEntry struct {
	dictionary.Spec `yaml:",inline"`
	// IDs claims list records as this actor: "un:QDe.161", "ofac:18647",
	// "ucdp:356".
	IDs []string `yaml:"ids"`
	// DropAliases removes forms that the claimed list records give but that
	// are wrong or unsafe for this actor.
	DropAliases []string `yaml:"drop_aliases"`
}

type curatedFile struct {
	// UpperWords stay upper case when list names are put in display case.
	UpperWords []string `yaml:"upper_words"`
	// DropAliases are generic phrases never taken from a list as an alias.
	DropAliases []string `yaml:"drop_aliases"`
	// Skip lists list records to leave out, as "source:id".
	Skip []string `yaml:"skip"`
	// UCDPSkip are case-insensitive substrings of UCDP names that mark
	// non-actors or names too vague to match.
	UCDPSkip []string `yaml:"ucdp_skip"`
	// UNMembers are the ISO 3166-1 alpha-2 codes of the UN member states;
	// ExtraCountries adds states commonly named in conflict reporting.
	UNMembers      []string            `yaml:"un_members"`
	ExtraCountries []string            `yaml:"extra_countries"`
	CountryNames   map[string]string   `yaml:"country_names"`
	CountryAliases map[string][]string `yaml:"country_aliases"`
	// UCDPGovernments maps UCDP government names that are not GeoNames
	// country names ("Russia (Soviet Union)") to ISO codes.
	UCDPGovernments map[string]string `yaml:"ucdp_governments"`
	// Distinct lists pairs of list records that share a name but are
	// different actors; they are never merged.
	Distinct [][2]string    `yaml:"distinct"`
	Entries  []curatedEntry `yaml:"entries"`
}

func readCurated(path string) (*curatedFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c curatedFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	keys := map[string]bool{}
	for i, e := range c.Entries {
		switch {
		case e.Key == "" || dictionary.Slug(e.Key) != e.Key:
			return nil, fmt.Errorf("%s: entry %d: key %q is not a slug", path, i+1, e.Key)
		case keys[e.Key]:
			return nil, fmt.Errorf("%s: entry %d: duplicate key %q", path, i+1, e.Key)
		}
		if _, err := e.Spec.Entry(); err != nil {
			return nil, fmt.Errorf("%s: entry %d (%s): %w", path, i+1, e.Key, err)
		}
		keys[e.Key] = true
	}
	for i, e := range c.Entries {
		if e.Parent != "" && !keys[e.Parent] && !strings.HasPrefix(e.Parent, "country-") {
			return nil, fmt.Errorf("%s: entry %d (%s): unknown parent %q", path, i+1, e.Key, e.Parent)
		}
	}
	return &c, nil
}

// Build runs the generator and returns the actors.jsonl bytes.
func Build(opts Options) ([]byte, *Stats, error) {
	entries, st, err := Generate(opts)
	if err != nil {
		return nil, nil, err
	}
	b, err := dictionary.MarshalJSONL(entries)
	return b, st, err
}

// Generate reads the sources and returns the merged entries sorted by key.
func Generate(opts Options) ([]dictionary.Entry, *Stats, error) {
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	cur, err := readCurated(opts.Curated)
	if err != nil {
		return nil, nil, fmt.Errorf("curated: %w", err)
	}
	data := func(p string) string { return filepath.Join(opts.Shared, filepath.FromSlash(p)) }
	upper := map[string]bool{}
	for _, w := range cur.UpperWords {
		upper[w] = true
	}
	skip := map[string]bool{}
	for _, s := range cur.Skip {
		skip[s] = true
	}
	st := &Stats{Read: map[string]int{}, BySource: map[string]int{}, ByType: map[faultline.EntityType]int{}}

	// Countries first: their names are owned by them.
	countries, err := readCountries(data(countryPath))
	if err != nil {
		return nil, nil, fmt.Errorf("geonames countries: %w", err)
	}
	var recs []*rec
	countryRec := map[string]*rec{}
	isoCodes := slices.Concat(cur.UNMembers, cur.ExtraCountries)
	slices.Sort(isoCodes)
	for _, iso := range slices.Compact(isoCodes) {
		c, ok := countries[iso]
		if !ok {
			return nil, nil, fmt.Errorf("curated: country %s is not in countryInfo.tsv", iso)
		}
		r := &rec{src: srcCountry, id: iso, name: c.name, typ: faultline.Country, country: iso}
		if n := cur.CountryNames[iso]; n != "" {
			r.aliases = append(r.aliases, r.name)
			r.name = n
		}
		r.aliases = append(r.aliases, cur.CountryAliases[iso]...)
		r.ids = []faultline.ExternalID{{Scheme: srcCountry, Value: iso}}
		countryRec[iso] = r
		recs = append(recs, r)
	}
	st.Read[srcCountry] = len(countryRec)
	countryByName := map[string]string{}
	for _, r := range recs {
		for _, n := range append([]string{r.name}, r.aliases...) {
			countryByName[faultline.NormalizeName(n)] = r.id
		}
	}

	isPlace := func(s string) bool {
		_, ok := countryByName[faultline.NormalizeName(s)]
		return ok
	}

	// Curated entries.
	curRec := map[string]*rec{}
	for i := range cur.Entries {
		e := &cur.Entries[i]
		r := &rec{src: srcCurated, id: e.Key, name: e.Name, typ: faultline.EntityType(e.Type), curated: e,
			aliases: slices.Clone(e.Aliases), caseSensitive: e.CaseSensitive, country: e.Country, parent: e.Parent}
		curRec[e.Key] = r
		recs = append(recs, r)
	}
	st.Read[srcCurated] = len(cur.Entries)

	un, err := readUN(data(unPath), upper, isPlace)
	if err != nil {
		return nil, nil, fmt.Errorf("un list: %w", err)
	}
	ofac, err := readOFAC(data(sdnPath), data(altPath), upper, isPlace)
	if err != nil {
		return nil, nil, fmt.Errorf("ofac sdn: %w", err)
	}
	// Names were put in display case while the acronym set was still
	// growing; redo them now that it is complete so the output does not
	// depend on file order.
	if un, err = readUN(data(unPath), upper, isPlace); err != nil {
		return nil, nil, fmt.Errorf("un list: %w", err)
	}
	if ofac, err = readOFAC(data(sdnPath), data(altPath), upper, isPlace); err != nil {
		return nil, nil, fmt.Errorf("ofac sdn: %w", err)
	}
	st.Read[srcUN], st.Read[srcOFAC] = len(un), len(ofac)
	for _, r := range slices.Concat(un, ofac) {
		if skip[r.src+":"+r.id] {
			logf("skip %s:%s %q (curated skip list)", r.src, r.id, r.name)
			continue
		}
		recs = append(recs, r)
	}

	actors, err := readUCDP(data(ucdpPath))
	if err != nil {
		return nil, nil, fmt.Errorf("ucdp actors: %w", err)
	}
	ucdpRecs := ucdpRecords(actors, cur, countryRec, countryByName, skip, logf)
	st.Read[srcUCDP] = len(actors)
	recs = append(recs, ucdpRecs...)

	// Merge keys.
	for _, r := range recs {
		r.keys = mergeKeys(r)
	}
	entries, err := merge(recs, cur, countryByName, logf)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		st.ByType[e.Type]++
		srcs := map[string]bool{}
		for _, id := range e.ExternalIDs {
			srcs[id.Scheme] = true
		}
		if _, ok := curRec[e.Key]; ok {
			srcs[srcCurated] = true
		}
		n := 0
		for s := range srcs {
			st.BySource[s]++
			if s != srcCurated && s != srcCountry {
				n++
			}
		}
		if n >= 2 {
			st.Merged++
		}
	}
	st.Entries = len(entries)
	return entries, st, nil
}

func ucdpRecords(actors []ucdpActor, cur *curatedFile, countryRec map[string]*rec, countryByName map[string]string, skip map[string]bool, logf func(string, ...any)) []*rec {
	var out []*rec
	govNames := map[string]string{}
	for k, v := range cur.UCDPGovernments {
		govNames[k] = v
	}
	for _, a := range actors {
		name := a.nameData
		if skip[srcUCDP+":"+a.id] {
			logf("skip ucdp:%s %q (curated skip list)", a.id, name)
			continue
		}
		switch a.org {
		case "4": // governments
			g := strings.TrimPrefix(name, "Government of ")
			plain := g
			if i := strings.Index(plain, " ("); i > 0 {
				plain = plain[:i] // "Russia (Soviet Union)": prose says "Government of Russia"
			}
			iso, ok := govNames[g]
			if !ok {
				iso = countryByName[faultline.NormalizeName(plain)]
			}
			c := countryRec[iso]
			if c == nil {
				logf("skip ucdp:%s %q (not a current state in the dictionary)", a.id, name)
				continue
			}
			c.aliases = append(c.aliases, "Government of "+plain)
			c.ids = append(c.ids, faultline.ExternalID{Scheme: srcUCDP, Value: a.id})
			continue
		case "1": // formally organised non-state actors
		default: // 2 informal supporters' groups, 3 identity groups (tribes, clans)
			continue
		}
		r := &rec{src: srcUCDP, id: a.id, typ: faultline.ArmedGroup, nameRank: 1}
		r.name = name
		if short := dictionary.IsAcronym(name) || acronymish(name); !short && vague(name, cur.UCDPSkip) ||
			short && vague(a.nameOrigFullEng, cur.UCDPSkip) {
			logf("skip ucdp:%s %q (too vague to match)", a.id, name)
			continue
		}
		if dictionary.IsAcronym(name) || acronymish(name) {
			// Prefer a full name for display; the acronym stays an alias.
			switch {
			case a.nameOrigFull != "" && a.nameOrigFull != name && stripNonLatin(a.nameOrigFull) == a.nameOrigFull:
				r.name = a.nameOrigFull
			case a.nameOrigFullEng != "":
				r.name = a.nameOrigFullEng
			}
			r.nameRank = 4
		}
		for _, s := range []string{a.nameData, a.nameOrig, a.nameOrigFull, a.nameOrigFullEng} {
			if stripNonLatin(s) != s {
				continue // original-script names: the extractor reads English
			}
			if s != "" && s != r.name {
				r.aliases = append(r.aliases, s)
			}
		}
		r.ids = []faultline.ExternalID{{Scheme: srcUCDP, Value: a.id}}
		out = append(out, r)
	}
	// UCDP's English renderings repeat across actors ("National Liberation
	// Front", "Army of Islam"); a form that two UCDP actors share names
	// neither safely, so it is dropped from both (names are kept).
	count := map[string]int{}
	for _, r := range out {
		seen := map[string]bool{}
		for _, n := range append([]string{r.name}, r.aliases...) {
			k := faultline.NormalizeName(n)
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	for _, r := range out {
		r.aliases = slices.DeleteFunc(r.aliases, func(a string) bool {
			return count[faultline.NormalizeName(a)] > 1 && faultline.NormalizeName(a) != faultline.NormalizeName(r.name)
		})
	}
	return out
}

func vague(name string, patterns []string) bool {
	if dictionary.IsStopword(name) || len([]rune(name)) < 2 {
		return true
	}
	l := strings.ToLower(name)
	for _, p := range patterns {
		p = strings.ToLower(p)
		if strings.HasPrefix(p, "=") {
			if l == p[1:] {
				return true
			}
		} else if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// mergeKeys are the normalised forms by which a record may join another
// source's record. Acronyms are left out: "AAB" is both the Abdallah Azzam
// Brigades and the al-Ashtar Brigades. UCDP English renderings count only
// when they are the actor's own full name.
func mergeKeys(r *rec) []string {
	var forms []string
	switch r.src {
	case srcCountry:
		return nil
	case srcCurated:
		forms = append([]string{r.name}, r.aliases...)
	default:
		forms = append([]string{r.name}, r.aliases...)
	}
	var keys []string
	for _, f := range forms {
		if dictionary.IsAcronym(f) || acronymish(f) || !dictionary.SafeAlias(f) {
			continue
		}
		keys = append(keys, faultline.NormalizeName(f))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

type edge struct {
	tier, a, b int
}

func merge(recs []*rec, cur *curatedFile, countryByName map[string]string, logf func(string, ...any)) ([]dictionary.Entry, error) {
	parent := make([]int, len(recs))
	srcs := make([]map[string]bool, len(recs))
	for i, r := range recs {
		parent[i] = i
		srcs[i] = map[string]bool{r.src: true}
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
		for s := range srcs[rb] {
			srcs[ra][s] = true
		}
	}

	// Curated claims first.
	byID := map[string]int{}
	for i, r := range recs {
		if r.src != srcCurated && r.src != srcCountry {
			byID[r.src+":"+r.id] = i
		}
	}
	claimed := map[int]string{}
	for i, r := range recs {
		if r.curated == nil {
			continue
		}
		for _, id := range r.curated.IDs {
			j, ok := byID[id]
			if !ok {
				return nil, fmt.Errorf("curated %s: id %q matches no list record", r.id, id)
			}
			if k, dup := claimed[j]; dup {
				return nil, fmt.Errorf("curated %s: id %q is already claimed by %s", r.id, id, k)
			}
			claimed[j] = r.id
			union(i, j)
		}
	}

	// Name edges between sources.
	type hit struct {
		i    int
		name bool
	}
	byKey := map[string][]hit{}
	for i, r := range recs {
		nameKey := faultline.NormalizeName(r.name)
		for _, k := range r.keys {
			byKey[k] = append(byKey[k], hit{i, k == nameKey})
		}
	}
	var edges []edge
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		hs := byKey[k]
		if len(hs) < 2 {
			continue
		}
		perSrc := map[string]int{}
		for _, h := range hs {
			perSrc[recs[h.i].src]++
		}
		ambiguous := false
		for _, n := range perSrc {
			if n > 1 {
				ambiguous = true
			}
		}
		if ambiguous {
			continue // e.g. "Ansar al-Sharia": several UN entities
		}
		for x := 0; x < len(hs); x++ {
			for y := x + 1; y < len(hs); y++ {
				tier := 2
				if hs[x].name && hs[y].name {
					tier = 0
				} else if hs[x].name || hs[y].name {
					tier = 1
				}
				a, b := hs[x].i, hs[y].i
				if a > b {
					a, b = b, a
				}
				edges = append(edges, edge{tier, a, b})
			}
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		ei, ej := edges[i], edges[j]
		if ei.tier != ej.tier {
			return ei.tier < ej.tier
		}
		if ei.a != ej.a {
			return ei.a < ej.a
		}
		return ei.b < ej.b
	})
	for _, e := range edges {
		ra, rb := find(e.a), find(e.b)
		if ra == rb {
			continue
		}
		ok := true
		for s := range srcs[rb] {
			if srcs[ra][s] {
				ok = false // one record per source per actor
			}
		}
		for _, d := range cur.Distinct {
			ia, oka := byID[d[0]]
			ib, okb := byID[d[1]]
			if oka && okb && (find(ia) == ra && find(ib) == rb || find(ia) == rb && find(ib) == ra) {
				ok = false
			}
		}
		ta, tb := recs[e.a].typ, recs[e.b].typ
		if ta != tb && !srcs[ra][srcCurated] && !srcs[rb][srcCurated] {
			ok = false
		}
		if !ok {
			continue
		}
		logf("merge %s:%s %q + %s:%s %q", recs[e.a].src, recs[e.a].id, recs[e.a].name, recs[e.b].src, recs[e.b].id, recs[e.b].name)
		union(e.a, e.b)
	}

	// Build clusters in record order.
	clusters := map[int][]*rec{}
	var roots []int
	for i := range recs {
		r := find(i)
		if _, ok := clusters[r]; !ok {
			roots = append(roots, r)
		}
		clusters[r] = append(clusters[r], recs[i])
	}

	globalDrop := map[string]bool{}
	for _, d := range cur.DropAliases {
		globalDrop[faultline.NormalizeName(d)] = true
	}
	// Forms owned by curated entries and countries, and every entry's name:
	// a list alias that equals one of another entry's is dropped.
	owner := map[string]int{}
	for _, root := range roots {
		for _, r := range clusters[root] {
			if r.src == srcCurated || r.src == srcCountry {
				for _, n := range append([]string{r.name}, r.aliases...) {
					owner[faultline.NormalizeName(n)] = root
				}
			}
		}
	}
	names := map[string][]int{}
	for _, root := range roots {
		n := faultline.NormalizeName(displayName(clusters[root]).name)
		names[n] = append(names[n], root)
	}

	var out []dictionary.Entry
	for _, root := range roots {
		cl := clusters[root]
		e := build(cl)
		drop := map[string]bool{}
		for _, r := range cl {
			if r.curated != nil {
				for _, d := range r.curated.DropAliases {
					drop[faultline.NormalizeName(d)] = true
				}
			}
		}
		nameKey := faultline.NormalizeName(e.Name)
		var aliases []string
		seen := map[string]bool{strings.ToLower(e.Name): true}
		for _, r := range cl {
			for _, a := range append([]string{r.name}, r.aliases...) {
				a = clean(a)
				low := strings.ToLower(a)
				if seen[low] && r.src != srcCurated {
					continue
				}
				if a == e.Name || slices.Contains(aliases, a) {
					continue
				}
				k := faultline.NormalizeName(a)
				if r.src != srcCurated && r.src != srcCountry {
					if !dictionary.SafeAlias(a) || globalDrop[k] || drop[k] {
						continue
					}
					if o, ok := owner[k]; ok && o != root {
						continue
					}
					if _, ok := countryByName[k]; ok && e.Type != faultline.Country {
						continue
					}
					if others := names[k]; k != nameKey && (len(others) > 1 || len(others) == 1 && others[0] != root) {
						continue
					}
				} else if !dictionary.SafeAlias(a) {
					return nil, fmt.Errorf("curated %s: alias %q is unsafe (a common word or one character)", e.Key, a)
				}
				seen[low] = true
				aliases = append(aliases, a)
			}
		}
		e.Aliases = aliases
		cs := []string{}
		for _, r := range cl {
			cs = append(cs, r.caseSensitive...)
		}
		for _, n := range e.Names() {
			if dictionary.IsAcronym(n) {
				cs = append(cs, n)
			}
		}
		for _, c := range cs {
			if !slices.Contains(e.Names(), c) {
				return nil, fmt.Errorf("entry %s: case_sensitive %q is neither name nor alias", e.Key, c)
			}
		}
		slices.Sort(cs)
		e.CaseSensitive = slices.Compact(cs)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	for i := 1; i < len(out); i++ {
		if out[i].Key == out[i-1].Key {
			return nil, fmt.Errorf("duplicate key %s", out[i].Key)
		}
	}
	return out, nil
}

func displayName(cl []*rec) *rec {
	best := cl[0]
	rank := func(r *rec) int {
		switch r.src {
		case srcCurated:
			return -2
		case srcCountry:
			return -1
		}
		return r.nameRank
	}
	for _, r := range cl[1:] {
		if rank(r) < rank(best) {
			best = r
		}
	}
	return best
}

// keyOf picks the entry key: the curated slug, the country code, else the
// first of the UN, OFAC and UCDP records.
func keyOf(cl []*rec) string {
	for _, src := range []string{srcCurated, srcCountry, srcUN, srcOFAC, srcUCDP} {
		for _, r := range cl {
			if r.src != src {
				continue
			}
			switch src {
			case srcCurated:
				return r.id
			case srcCountry:
				return "country-" + strings.ToLower(r.id)
			default:
				return src + "-" + dictionary.Slug(r.id)
			}
		}
	}
	return ""
}

func build(cl []*rec) dictionary.Entry {
	best := displayName(cl)
	e := dictionary.Entry{Key: keyOf(cl), Name: clean(best.name), Type: best.typ}
	for _, r := range cl {
		if r.src == srcCurated {
			e.Type, e.Country, e.Parent = r.typ, r.country, r.parent
		}
		if r.src == srcCountry {
			e.Country = r.country
		}
		e.ExternalIDs = append(e.ExternalIDs, r.ids...)
	}
	if e.Type == "" {
		e.Type = faultline.ArmedGroup
	}
	sort.Slice(e.ExternalIDs, func(i, j int) bool {
		a, b := e.ExternalIDs[i], e.ExternalIDs[j]
		if a.Scheme != b.Scheme {
			return a.Scheme < b.Scheme
		}
		return a.Value < b.Value
	})
	e.ExternalIDs = slices.Compact(e.ExternalIDs)
	return e
}
