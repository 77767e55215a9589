package extract

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// unionFind joins candidate groups that name the same entity.
type unionFind struct{ parent map[string]string }

func newUnionFind() *unionFind { return &unionFind{parent: map[string]string{}} }

func (u *unionFind) add(g string) {
	if _, ok := u.parent[g]; !ok {
		u.parent[g] = g
	}
}

func (u *unionFind) find(g string) string {
	for u.parent[g] != g {
		u.parent[g] = u.parent[u.parent[g]]
		g = u.parent[g]
	}
	return g
}

// union keeps a dictionary group ("k:…") as the root, so the entity keeps
// its key.
func (u *unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if strings.HasPrefix(rb, "k:") && !strings.HasPrefix(ra, "k:") {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
}

// resolveOverlaps keeps, among overlapping candidates, the longest, then
// the one of highest priority. Candidates with the same span name the same
// thing, so their groups are joined.
func (d *doc) resolveOverlaps() {
	// Sort indices rather than the wide candidates themselves; the order is
	// total (span length, priority, position, insertion), so it is stable.
	order := make([]int32, len(d.cands))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		a, b := &d.cands[x], &d.cands[y]
		if la, lb := a.e-a.s, b.e-b.s; la != lb {
			return lb - la
		}
		if a.prio != b.prio {
			return b.prio - a.prio
		}
		if a.s != b.s {
			return a.s - b.s
		}
		return int(x - y)
	})
	kept := d.sc.kept[:0]
	// taken[b] is 1 + the index in kept of the candidate covering byte b.
	if cap(d.sc.taken) < len(d.text) {
		d.sc.taken = make([]int32, len(d.text))
	}
	taken := d.sc.taken[:len(d.text)]
	clear(taken)
	for _, ci := range order {
		c := d.cands[ci]
		conflict := -1
		for t := c.s; t < c.e; t++ {
			if k := taken[t]; k > 0 {
				conflict = int(k - 1)
				break
			}
		}
		if conflict >= 0 {
			k := kept[conflict]
			if k.s == c.s && k.e == c.e && (k.typ == "" || c.typ == "" || faultline.SameKind(k.typ, c.typ)) {
				d.groups.union(k.group, c.group)
			}
			continue
		}
		kept = append(kept, c)
		for t := c.s; t < c.e; t++ {
			taken[t] = int32(len(kept))
		}
	}
	slices.SortFunc(kept, func(a, b cand) int { return a.s - b.s })
	// The two candidate slices swap roles, so neither is reallocated.
	d.sc.kept = d.cands[:0]
	d.cands = kept
}

// findDemonyms adds "Pakistani", "Afghan" as mentions of a country the
// document also names; a demonym alone does not bring a country in.
func (d *doc) findDemonyms() {
	named := map[int32]string{}
	for _, c := range d.cands {
		if c.ref >= 0 && d.x.lex.refs[c.ref].typ == faultline.Country {
			named[c.ref] = c.group
		}
	}
	if len(named) == 0 {
		return
	}
	covered := d.coverage()
	for si, st := range d.sents {
		for k, t := range st.toks {
			if !t.cap || covered[t.s] {
				continue
			}
			r, ok := d.x.lex.demonyms[t.fold]
			if !ok {
				continue
			}
			if g, ok := named[r]; ok {
				d.add(cand{si: si, i: k, j: k, group: g, typ: faultline.Country, ref: r, rule: "gazetteer.demonym", prio: prioLexicon, weak: true})
			}
		}
	}
}

// applyMetonymy turns a capital city into its state when the text uses it
// as an actor: "Islamabad denied the charge", "Tehran's response", "For
// Kabul, the talks …", "presenting Islamabad as …". After a locative
// ("in Kabul") or before a place noun ("Kabul airport") it stays a place.
func (d *doc) applyMetonymy() {
	for n := range d.cands {
		c := &d.cands[n]
		if c.capital == 0 {
			continue
		}
		r := d.x.lex.refs[c.capital-1]
		if r.country == "" {
			continue
		}
		country, ok := d.x.lex.byKey[countryKey(r.country)]
		if !ok {
			continue
		}
		st := d.sents[c.si]
		if d.locativeBefore(st, c.i) {
			continue
		}
		actor := false
		if c.j+1 < len(st.toks) {
			next := st.toks[c.j+1]
			g := gap(d.text, st.toks[c.j], next)
			switch {
			case (g == "'" || g == "’") && next.fold == "s":
				// "Islamabad's past", unless "Islamabad's airport".
				actor = c.j+2 >= len(st.toks) || !placeNouns[st.toks[c.j+2].fold]
			case strings.TrimSpace(g) == "" && stateVerbs[next.fold]:
				actor = true
			case strings.TrimSpace(g) == "," && c.i > 0 && (st.toks[c.i-1].fold == "for"):
				actor = true
			case strings.TrimSpace(g) == "" && next.fold == "as" && c.i > 0 && strings.HasSuffix(st.toks[c.i-1].fold, "ing"):
				actor = true
			}
		}
		if !actor {
			continue
		}
		c.group = "k:" + d.x.lex.refs[country].key
		c.ref = country
		c.typ = faultline.Country
		c.rule = "metonym.capital"
		c.weak = true
		d.groups.add(c.group)
	}
}

// entities groups the accepted candidates into the extraction's entities,
// numbered in order of first mention.
func (d *doc) entities() []faultline.ExtractedEntity {
	d.entityOf = map[string]int{}
	type group struct {
		ent   faultline.ExtractedEntity
		typ   faultline.EntityType
		trust int // how sure the type is: dictionary 3, rule 2, default 1
		ref   int32
		best  string
		bestW int
		seen  map[string]bool
		// strong holds the non-weak surfaces with their first offset, to
		// name the entity by its first name's fullest form.
		strong []surfaceAt
	}
	var order []string
	groups := map[string]*group{}
	offs := newRuneOffsets(d.text)
	for _, c := range d.cands {
		root := d.groups.find(c.group)
		g := groups[root]
		if g == nil {
			g = &group{ref: -1, seen: map[string]bool{}}
			groups[root] = g
			order = append(order, root)
		}
		surface := d.text[c.s:c.e]
		s, e := offs.at(c.s), offs.at(c.e)
		g.ent.Mentions = append(g.ent.Mentions, faultline.Mention{Span: faultline.Span{Start: s, End: e, Text: surface}, Rule: c.rule})
		trust := 2
		if c.ref >= 0 {
			trust = 3
			if g.ref < 0 || c.rule != "metonym.capital" {
				g.ref = c.ref
			}
		}
		if c.typ != "" && trust > g.trust {
			g.typ, g.trust = c.typ, trust
			g.ent.Rule = c.rule
		}
		// The name is the fullest non-weak surface form.
		w := utf8.RuneCountInString(surface)
		if c.weak {
			w -= 1000
		}
		if g.best == "" || w > g.bestW {
			g.best, g.bestW = surface, w
		}
		if !c.weak {
			g.strong = append(g.strong, surfaceAt{text: surface, at: c.s})
		}
	}
	out := make([]faultline.ExtractedEntity, 0, len(order))
	for _, root := range order {
		g := groups[root]
		if g.typ == "" {
			g.typ = faultline.Organization
			g.ent.Rule = "default.organization"
		}
		d.entityOf[root] = len(out)
		g.ent.ID = fmt.Sprintf("e%d", len(out)+1)
		g.ent.Type = g.typ
		g.ent.Name = cleanName(d.entityName(g.strong, g.ref, g.best))
		if g.bestW < 0 && g.ref >= 0 {
			// Only weak forms ("Islamabad" for the state): name the
			// entity by its dictionary name and keep the forms as aliases.
			g.ent.Name = d.x.lex.refs[g.ref].name
		}
		g.ent.Aliases = []string{}
		g.seen[faultline.NormalizeName(g.ent.Name)] = true
		for _, m := range g.ent.Mentions {
			n := faultline.NormalizeName(m.Text)
			if n == "" || g.seen[n] {
				continue
			}
			g.seen[n] = true
			g.ent.Aliases = append(g.ent.Aliases, cleanName(m.Text))
		}
		if g.ref >= 0 {
			r := d.x.lex.refs[g.ref]
			g.ent.Key = r.key
			g.ent.ExternalIDs = r.extIDs
			if r.place && r.lat != nil {
				g.ent.Lat, g.ent.Lon = r.lat, r.lon
			}
			if r.typ == faultline.Country && g.ent.Type == faultline.Country {
				g.ent.ExternalIDs = mergeIDs([]faultline.ExternalID{{Scheme: "iso3166", Value: r.country}}, r.extIDs)
			}
		}
		if g.ent.Type == faultline.Location && g.ref >= 0 && d.x.lex.refs[g.ref].kind == gazetteer.KindCountry {
			g.ent.Type = faultline.Country
		}
		out = append(out, g.ent)
	}
	return out
}

type surfaceAt struct {
	text string
	at   int
}

// entityName picks an entity's name among its non-weak surface forms: the
// dictionary's own name when the text uses it, else the first name the
// text gives in its fullest form ("Islamic State Khorasan" → "Islamic
// State Khorasan Province"). Other names the text gives for the same actor
// ("Milli Muslim League" for Lashkar-e-Tayyiba) stay aliases, however long.
func (d *doc) entityName(strong []surfaceAt, ref int32, fallback string) string {
	if len(strong) == 0 {
		return fallback
	}
	// Distinct surfaces only, each normalised once.
	type form struct {
		text, norm string
		at         int
	}
	var forms []form
	seen := map[string]int{}
	for _, sf := range strong {
		if n, ok := seen[sf.text]; ok {
			forms[n].at = min(forms[n].at, sf.at)
			continue
		}
		seen[sf.text] = len(forms)
		forms = append(forms, form{text: sf.text, norm: faultline.NormalizeName(sf.text), at: sf.at})
	}
	if ref >= 0 {
		want := faultline.NormalizeName(d.x.lex.refs[ref].name)
		for _, f := range forms {
			if f.norm == want {
				return f.text
			}
		}
	}
	first := forms[0]
	for _, f := range forms[1:] {
		if f.at < first.at {
			first = f
		}
	}
	best := first
	for _, f := range forms {
		if len(f.norm) > len(best.norm) && strings.Contains(f.norm, first.norm) {
			best = f
		}
	}
	return best.text
}

// cleanName folds line breaks and runs of spaces inside a name.
func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

// runeOffsets converts byte offsets to code-point offsets.
type runeOffsets struct {
	text  string
	ascii bool
	// last conversion, since callers mostly go forward
	lastB, lastR int
}

func newRuneOffsets(text string) *runeOffsets {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	return &runeOffsets{text: text, ascii: ascii}
}

func (o *runeOffsets) at(b int) int {
	if o.ascii {
		return b
	}
	if b < o.lastB {
		o.lastB, o.lastR = 0, 0
	}
	o.lastR += utf8.RuneCountInString(o.text[o.lastB:b])
	o.lastB = b
	return o.lastR
}

// aliasWords introduce another name for what comes before: "Ahmed Abdi
// Godane, also known as Mukhtar Abu Zubair", "Harakat al-Shabaab
// al-Mujahideen, commonly known as al-Shabaab", "(a.k.a. Kashmir
// Resistance)".
var aliasWords = setOf("also", "commonly", "better", "formerly", "previously", "now", "sometimes", "widely",
	"locally", "popularly", "otherwise", "known", "called", "named", "referred", "to", "as", "aka", "a", "k")

// findAliases joins two names when the text gives one as the other's
// alias; the second becomes a weak form, so the entity keeps the first
// name unless it is itself weak.
func (d *doc) findAliases() {
	bySent := map[int][]int{}
	for n, c := range d.cands {
		bySent[c.si] = append(bySent[c.si], n)
	}
	for si, idx := range bySent {
		slices.SortFunc(idx, func(x, y int) int { return d.cands[x].i - d.cands[y].i })
		st := d.sents[si]
		for a := 0; a+1 < len(idx); a++ {
			A, B := d.cands[idx[a]], d.cands[idx[a+1]]
			if B.i <= A.j+1 || B.i-A.j-1 > 5 {
				continue
			}
			if g := gap(d.text, st.toks[A.j], st.toks[A.j+1]); !strings.ContainsAny(g, ",(") {
				continue
			}
			named, ok := false, true
			for k := A.j + 1; k < B.i; k++ {
				f := st.toks[k].fold
				if !aliasWords[f] || st.toks[k].cap && f != "aka" {
					ok = false
					break
				}
				named = named || f == "known" || f == "called" || f == "named" || f == "aka" || f == "referred" || f == "k"
			}
			if !ok || !named || A.typ != "" && B.typ != "" && !faultline.SameKind(A.typ, B.typ) {
				continue
			}
			d.groups.union(A.group, B.group)
			d.cands[idx[a+1]].weak = true
		}
	}
}
