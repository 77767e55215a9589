package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
)

// Options configure an Extractor.
type Options struct {
	// Dictionary is the actor dictionary; nil means dictionary.Default().
	// Layer user dictionaries with Dictionary.With.
	Dictionary *dictionary.Dictionary
	// Gazetteer is the place list; nil means gazetteer.Default().
	Gazetteer *gazetteer.Gazetteer
}

// Extractor extracts entities from documents. Build one with New and reuse
// it: building indexes the dictionaries; extracting is then cheap and safe
// for concurrent use.
type Extractor struct {
	lex   *lexicon
	gaz   *gazetteer.Gazetteer
	given *dictionary.GivenNameSet
	// scratch recycles the big per-document buffers: at a few hundred
	// bytes per byte of text they were most of the garbage.
	scratch sync.Pool
}

// scratch holds buffers one extraction needs and the next can reuse.
type scratch struct {
	toks    []token
	memo    []lexMemo
	taken   []int32
	covered []bool
	cands   []cand
	kept    []cand
}

var _ faultline.Extractor = (*Extractor)(nil)

// New builds an Extractor.
func New(opt Options) (*Extractor, error) {
	d, g := opt.Dictionary, opt.Gazetteer
	var err error
	if d == nil {
		if d, err = dictionary.Default(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	if g == nil {
		if g, err = gazetteer.Default(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	given, err := dictionary.GivenNames()
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	return &Extractor{lex: buildLexicon(d, g), gaz: g, given: given}, nil
}

// sentence is one sentence with its tokens.
type sentence struct {
	span
	toks []token
	// memo caches the lexicon's longest match at each token: several
	// rules ask about the same positions.
	memo []lexMemo
}

type lexMemo struct {
	m     match
	state uint8 // 0 not looked up, 1 no match, 2 match
}

// longest is the lexicon's longest match at token i of st, computed once.
func (d *doc) longest(st sentence, i int) (match, bool) {
	mm := &st.memo[i]
	if mm.state == 0 {
		m, ok := d.x.lex.longest(d.text, st.toks, i)
		mm.m, mm.state = m, 1
		if ok {
			mm.state = 2
		}
	}
	return mm.m, mm.state == 2
}

// cand is a candidate mention: tokens [i, j] of sentence si.
type cand struct {
	si, i, j int
	s, e     int // byte offsets
	group    string
	typ      faultline.EntityType
	ref      int32 // lexicon ref, or -1
	capital  int32 // for a place name that is also a capital city: that city's ref + 1, else 0
	rule     string
	prio     int
	weak     bool // a form not to name the entity by (acronym, surname, metonym)
}

// Rule priorities settle candidates with the same span.
const (
	prioHeadword = 1
	prioLexicon  = 2
	prioPerson   = 3
	prioAcronym  = 4
)

// doc holds the state of one extraction.
type doc struct {
	x      *Extractor
	text   string
	sents  []sentence
	cands  []cand
	groups *unionFind
	acros  map[string]string // acronym surface → group
	lower  map[string]bool   // folded words seen in lower case
	// entityOf maps a candidate group's root to its entity's index in
	// the output, once entities are built.
	entityOf map[string]int
	ents     []faultline.ExtractedEntity
	offs     *runeOffsets
	anchor   DateExpr // the document's own date
	rels     []relCand
	byKey    map[string]int // entity key → index, built on demand
	ss       []*sent        // the sentences prepared for the relation rules
	main     int            // mainCountry's answer + 1; 0 before it is asked
	sc       *scratch       // reusable buffers
}

// Extract runs every stage on one document.
func (x *Extractor) Extract(in faultline.Document) *faultline.Extraction {
	text := in.Text
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	sha := in.SHA256
	if sha == "" {
		h := sha256.Sum256([]byte(in.Text))
		sha = hex.EncodeToString(h[:])
	}
	ext := faultline.NewExtraction(faultline.ExtractionDocument{
		Path: in.Path, SHA256: sha, Title: in.Title, Chars: utf8.RuneCountInString(text), Date: in.Published,
	})
	sc, _ := x.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer x.scratch.Put(sc)
	d := &doc{x: x, text: text, groups: newUnionFind(), acros: map[string]string{}, lower: map[string]bool{}, sc: sc,
		cands: sc.cands[:0]}
	d.segment()
	d.findAcronymDefinitions()
	for si := range d.sents {
		d.findLexicon(si)
		d.findHeadwords(si)
		d.findPersons(si)
		d.findAcronymUses(si)
	}
	d.resolveOverlaps()
	d.findAliases()
	d.findSurnames()
	d.findDemonyms()
	d.resolveOverlaps()
	d.applyMetonymy()
	ext.Entities = d.entities()
	d.ents = ext.Entities
	d.offs = newRuneOffsets(text)
	d.anchor = documentAnchor(in.Published)
	if d.anchor.Year == 0 {
		d.anchor = d.datelineAnchor()
	}
	ss := d.clauses()
	ext.Events = d.events(ss)
	ext.Relations = d.relations(ss)
	sc.cands = d.cands[:0]
	return ext
}

func (d *doc) segment() {
	// One backing array for every sentence's tokens and lexicon memo:
	// a document has thousands of sentences.
	all := d.sc.toks[:0]
	var spans [][2]int
	var sps []span
	for _, ln := range contentLines(d.text) {
		for _, sp := range sentences(d.text, ln) {
			a := len(all)
			all = tokenize(d.text, sp, all)
			spans = append(spans, [2]int{a, len(all)})
			sps = append(sps, sp)
		}
	}
	d.sc.toks = all
	if cap(d.sc.memo) < len(all) {
		d.sc.memo = make([]lexMemo, len(all))
	}
	memo := d.sc.memo[:len(all)]
	clear(memo)
	d.sents = make([]sentence, 0, len(sps))
	for n, sp := range sps {
		a, b := spans[n][0], spans[n][1]
		st := sentence{span: sp, toks: all[a:b:b], memo: memo[a:b:b]}
		for k, t := range st.toks {
			if !t.cap && !t.upper && !t.num && k > 0 {
				d.lower[t.fold] = true
			}
		}
		d.sents = append(d.sents, st)
	}
}

func (d *doc) raw(t token) string { return d.text[t.s:t.e] }

func (d *doc) add(c cand) {
	st := d.sents[c.si]
	c.s, c.e = st.toks[c.i].s, st.toks[c.j].e
	// Keep the final period of a dotted abbreviation: "U.S." not "U.S".
	if last := st.toks[c.j]; c.j > c.i && len(last.fold) == 1 && c.e < len(d.text) && d.text[c.e] == '.' &&
		gap(d.text, st.toks[c.j-1], last) == "." {
		c.e++
	}
	d.groups.add(c.group)
	d.cands = append(d.cands, c)
}

// findLexicon adds the longest dictionary and gazetteer matches.
func (d *doc) findLexicon(si int) {
	st := d.sents[si]
	for i := 0; i < len(st.toks); {
		m, ok := d.longest(st, i)
		if !ok {
			i++
			continue
		}
		r := d.pickRef(m.entries)
		rf := d.x.lex.refs[r]
		if rf.place && (!d.placeCue(st, m, rf) || m.i == m.j && months[st.toks[m.i].fold]) {
			i++
			continue
		}
		rule := "dictionary"
		if rf.place {
			rule = "gazetteer"
		}
		capital := int32(0)
		for _, e := range m.entries {
			if d.x.lex.refs[e.ref].capital {
				capital = e.ref + 1
			}
		}
		// "North Waziristan": a compass word makes a new place of a known one.
		if rf.place && m.i > 0 && compassWords[st.toks[m.i-1].fold] && st.toks[m.i-1].cap &&
			gap(d.text, st.toks[m.i-1], st.toks[m.i]) == " " {
			d.add(cand{si: si, i: m.i - 1, j: m.j, group: "n:location:" + d.fold(st, m.i-1, m.j), typ: faultline.Location, ref: -1, rule: "gazetteer.compass", prio: prioLexicon})
			i = m.j + 1
			continue
		}
		d.add(cand{si: si, i: m.i, j: m.j, group: "k:" + rf.key, typ: rf.typ, ref: r, capital: capital, rule: rule, prio: prioLexicon})
		i = m.j + 1
	}
}

// pickRef chooses among the entries a name resolves to: actors before
// places of the same name, countries and regions before cities, curated
// entries before list entries, then the most populous place.
func (d *doc) pickRef(ents []lexEntry) int32 {
	best := ents[0].ref
	score := func(r ref) int64 {
		s := int64(0)
		switch {
		case !r.place && r.typ != faultline.Country:
			s = 6e12
			if r.curated {
				s += 1e12
			}
		case r.kind == gazetteer.KindCountry || r.typ == faultline.Country:
			s = 5e12
		case r.kind == gazetteer.KindAdmin1:
			s = 4e12
		case r.kind == gazetteer.KindRegion:
			s = 3e12
		}
		return s + r.pop
	}
	for _, e := range ents[1:] {
		if score(d.x.lex.refs[e.ref]) > score(d.x.lex.refs[best]) {
			best = e.ref
		}
	}
	return best
}

// placeCue decides whether a gazetteer hit is really a place here. Countries,
// first-level regions and curated regions count as soon as they are
// capitalised; a city needs more unless it is large or clearly a place.
func (d *doc) placeCue(st sentence, m match, r ref) bool {
	single := m.i == m.j
	first := st.toks[m.i]
	if single && (commonCapitalised[first.fold] || d.lower[first.fold]) {
		return d.locativeBefore(st, m.i) && !d.insideRun(st, m.i)
	}
	// "Somali", "Afghan": a demonym is an adjective unless a place noun
	// follows ("Somali Region"); findDemonyms deals with it.
	if _, dem := d.x.lex.demonyms[first.fold]; single && dem && r.kind != gazetteer.KindCountry &&
		(m.j+1 >= len(st.toks) || !placeNouns[st.toks[m.j+1].fold]) {
		return false
	}
	// One word of a longer unknown name is not a place: "Operation Marg
	// Bar Sarmachar".
	if single && r.pop < 1000000 && r.kind != gazetteer.KindCountry && d.insideRun(st, m.i) {
		return false
	}
	if r.kind != gazetteer.KindCity {
		return true
	}
	if r.pop >= 250000 || r.capital || !single {
		return true
	}
	if d.locativeBefore(st, m.i) {
		return true
	}
	if m.j+1 < len(st.toks) && placeNouns[st.toks[m.j+1].fold] && !st.toks[m.j+1].cap {
		return true
	}
	return false
}

// insideRun reports whether token i sits between capitalised words joined
// by spaces, none of them a known name.
func (d *doc) insideRun(st sentence, i int) bool {
	neighbour := func(k int) bool {
		if k < 0 || k >= len(st.toks) || !st.toks[k].cap || st.toks[k].upper {
			return false
		}
		a, b := k, i
		if k > i {
			a, b = i, k
		}
		if gap(d.text, st.toks[a], st.toks[b]) != " " {
			return false
		}
		if k == 0 && (d.lower[st.toks[k].fold] || sentenceOpeners[st.toks[k].fold]) {
			return false
		}
		_, known := d.longest(st, k)
		return !known && !compassWords[st.toks[k].fold] && !titles[st.toks[k].fold]
	}
	return neighbour(i-1) || neighbour(i+1)
}

func (d *doc) locativeBefore(st sentence, i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		t := st.toks[k]
		if locatives[t.fold] && !t.cap || (locatives[t.fold] && k == 0) {
			return true
		}
		if t.fold == "of" && k > 0 && ofPlaceNouns[st.toks[k-1].fold] {
			return true
		}
		if t.fold != "the" {
			return false
		}
	}
	return false
}

// findHeadwords adds organisation and place names recognised by their head
// words ("… Liberation Front", "Lashkar-e-…", "Brigade 055", "the Haqqani
// network").
func (d *doc) findHeadwords(si int) {
	st := d.sents[si]
	work := d.chunks(st)
	for n := 0; n < len(work); n++ {
		ch := work[n]
		i, j := ch.s, ch.e
		if st.toks[i].fold == "the" {
			i++
		}
		// "Vice President of the Pakistan People's Party" names the party.
		for k := i; k < j; k++ {
			if !titles[st.toks[k].fold] && st.toks[k].cap {
				break
			}
			if st.toks[k].fold == "of" {
				i = k + 1
				for i < j && (st.toks[i].fold == "the" || !st.toks[i].cap) {
					i++
				}
				break
			}
		}
		// "Jamaat-ud-Dawa and Milli Muslim League": a name that opens
		// with its own head word ends at "and".
		if i <= j && headFirst[st.toks[i].fold] != "" {
			for k := i + 1; k < j; k++ {
				if st.toks[k].fold == "and" && !st.toks[k].cap {
					j = k - 1
					break
				}
			}
		}
		// A name ends a possessive or a coordination: "the BLA's Majeed
		// Brigade", "Islamabad and the Taliban", "August 2025 the State
		// Department".
		for k := j; k > i; k-- {
			g := gap(d.text, st.toks[k-1], st.toks[k])
			if st.toks[k].fold == "s" && (g == "'" || g == "’") {
				// "Manda Bay in Kenya's Lamu County", "the Quds Force of
				// Iran's IRGC": the name before the possessor's
				// preposition is a chunk of its own.
				p := k - 1
				for p > i && st.toks[p].cap {
					p--
				}
				if f := st.toks[p].fold; p > i+1 && !st.toks[p].cap && (f == "in" || f == "of" || f == "at" || f == "near" || f == "from") &&
					!d.chunkHas(work, i, p-1) {
					work = append(work, chunk{i, p - 1})
				}
				i = k + 1
				break
			}
			if st.toks[k].fold == "the" && k < j || st.toks[k].fold == "and" && k+1 <= j && st.toks[k+1].fold == "the" {
				i = k + 1
				if st.toks[i].fold == "the" {
					i++
				}
				break
			}
		}
		if i > j {
			continue
		}
		last, first := st.toks[j], st.toks[i]
		if namedCategories[d.fold(st, i, j)] {
			continue
		}
		typ, ok := faultline.EntityType(""), false
		rule := ""
		if t, hit := headLast[last.fold]; hit && j > i {
			typ, ok, rule = t, true, "headword.last"
		} else if j > i+1 && first.fold == "islamic" && st.toks[i+1].fold == "state" {
			// The Islamic State names its branches as provinces.
			typ, ok, rule = faultline.ArmedGroup, true, "headword.islamic-state"
		} else if t, hit := headFirst[first.fold]; hit && j > i {
			typ, ok, rule = t, true, "headword.first"
		} else if last.num && j > i {
			if t, hit := headLast[st.toks[j-1].fold]; hit && t == faultline.ArmedGroup {
				typ, ok, rule = t, true, "headword.number"
			}
		} else if t, end, hit := d.headBeforeOf(st, i, j); hit {
			// "American University of Afghanistan", "Islamic Movement of
			// Uzbekistan": the head sits before an "of" phrase.
			typ, ok, rule, j = t, true, "headword.of", end
			last = st.toks[j]
			if namedCategories[d.fold(st, i, j)] {
				continue
			}
		}
		if !ok {
			// "the Haqqani network", "Kurram district".
			if j+1 < len(st.toks) && !st.toks[j+1].cap && joinable(gap(d.text, st.toks[j], st.toks[j+1])) {
				if t, hit := lowerHeads[st.toks[j+1].fold]; hit && !d.known(st, i, j) {
					if !d.properModifier(st, i, j) {
						continue
					}
					d.add(cand{si: si, i: i, j: j + 1, group: "n:" + string(t) + ":" + d.fold(st, i, j+1), typ: t, ref: -1, rule: "headword.lower", prio: prioHeadword})
				}
			}
			continue
		}
		// A state's own forces: "Pakistan Army", "Iranian Navy".
		if typ != faultline.Location && typ != faultline.GovernmentBody && stateHeads[last.fold] && d.isStateModifier(st, i, j) {
			typ, rule = faultline.GovernmentBody, "headword.state"
		}
		// Sentence-initial common words and what follows them are not
		// part of the name: "After the Taliban's return".
		if i == 0 && j > i && (d.lower[first.fold] || sentenceOpeners[first.fold]) && !first.upper {
			i++
			for i < j && (!st.toks[i].cap || st.toks[i].fold == "the") {
				i++
			}
		}
		if j-i < 1 && rule != "headword.number" {
			continue
		}
		d.add(cand{si: si, i: i, j: j, group: "n:" + string(typ) + ":" + d.fold(st, i, j), typ: typ, ref: -1, rule: rule, prio: prioHeadword})
	}
}

// chunkHas reports whether chunks already holds [s, e].
func (d *doc) chunkHas(chunks []chunk, s, e int) bool {
	for _, c := range chunks {
		if c.s == s && c.e == e {
			return true
		}
	}
	return false
}

// headBeforeOf finds a head word followed by "of" inside tokens [i, j] and
// returns the type and the last token of the name. An organisation's name
// runs on ("Islamic Movement of Uzbekistan"); a place's stops at its head:
// "the Tirah Valley of Pakistan" is a valley and a country.
func (d *doc) headBeforeOf(st sentence, i, j int) (faultline.EntityType, int, bool) {
	for k := i + 1; k+1 < j; k++ {
		in := st.toks[k+1].fold == "in"
		if st.toks[k+1].fold != "of" && !in {
			continue
		}
		t, hit := headLast[st.toks[k].fold]
		if !hit {
			t, hit = headFirst[st.toks[k].fold]
		}
		switch {
		case hit && t == faultline.Location:
			// "the Tirah Valley of Pakistan", "Manda Bay in Kenya": a
			// place's name ends at its head.
			return t, k, true
		case hit && in && (months[st.toks[k+2].fold] || st.toks[k+2].num):
			// "a Foreign Terrorist Organization in March 2025": a date,
			// not part of the name.
			return t, k, true
		case hit && in:
			// "the African Union Mission in Somalia": an organisation's
			// name runs on.
			return t, j, true
		case hit:
			return t, j, true
		}
	}
	return "", 0, false
}

// properModifier reports whether tokens [i, j] are a proper name not known
// as a place or a common word ("Haqqani" but not "Afghan" or "The").
func (d *doc) properModifier(st sentence, i, j int) bool {
	for k := i; k <= j; k++ {
		t := st.toks[k]
		if !t.cap || d.lower[t.fold] || functionWords[t.fold] {
			return false
		}
		if _, dem := d.x.lex.demonyms[t.fold]; dem {
			return false
		}
	}
	m, ok := d.longest(st, i)
	return !ok || m.j < j || !d.x.lex.refs[d.pickRef(m.entries)].place
}

func (d *doc) isStateModifier(st sentence, i, j int) bool {
	if j <= i {
		return false
	}
	t := st.toks[j-1]
	if _, ok := d.x.lex.demonyms[t.fold]; ok {
		return true
	}
	if m, ok := d.longest(st, i); ok && m.j == j-1 {
		r := d.x.lex.refs[d.pickRef(m.entries)]
		return r.typ == faultline.Country
	}
	return false
}

// known reports whether the lexicon names tokens [i, j] (or more) as one.
func (d *doc) known(st sentence, i, j int) bool {
	m, ok := d.longest(st, i)
	return ok && m.j >= j
}

func (d *doc) fold(st sentence, i, j int) string {
	parts := make([]string, 0, j-i+1)
	for k := i; k <= j; k++ {
		parts = append(parts, st.toks[k].fold)
	}
	return strings.Join(parts, " ")
}

// chunk is a run of capitalised tokens [s, e] that may be a name.
type chunk struct{ s, e int }

// chunks finds maximal runs of capitalised words and numbers, joined by
// spaces, hyphens or apostrophes, with lower-case connectors inside
// ("Centre for Research and Security Studies", "Lashkar-e-Taiba").
func (d *doc) chunks(st sentence) []chunk {
	var out []chunk
	toks := st.toks
	for i := 0; i < len(toks); {
		if !toks[i].cap {
			i++
			continue
		}
		j := i
		for j+1 < len(toks) && joinable(gap(d.text, toks[j], toks[j+1])) {
			n := toks[j+1]
			if n.cap && !months[n.fold] || n.num && (headFirst[toks[j].fold] != "" || headLast[toks[j].fold] != "") {
				j++
				continue
			}
			// A connector counts only when a capitalised word follows.
			k := j + 1
			for k < len(toks) && connectors[toks[k].fold] && !toks[k].cap && joinable(gap(d.text, toks[k-1], toks[k])) {
				k++
			}
			if k > j+1 && k < len(toks) && toks[k].cap && joinable(gap(d.text, toks[k-1], toks[k])) {
				j = k
				continue
			}
			break
		}
		out = append(out, chunk{i, j})
		i = j + 1
	}
	return out
}
