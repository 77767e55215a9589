package extract

import (
	"slices"
	"strings"

	faultline "github.com/faultline-osint/faultline"
)

// ment is an entity's occurrence in a sentence as the relation and event
// rules see it: a mention the entity stage found, or an anaphor ("the
// group", "its", "these outfits") resolved to an earlier mention.
type ment struct {
	i, j    int // tokens
	ent     int // index into doc.ents
	typ     faultline.EntityType
	anaphor bool
	pp      bool // inside a prepositional phrase
}

// sent is one sentence prepared for the relation and event rules.
type sent struct {
	si  int
	st  sentence
	ms  []ment
	at  []int   // token → index in ms, or -1
	pp  []bool  // per mention: inside a prepositional phrase
	hot []uint8 // per token: hotWords classes
	// cpS, cpE are the sentence's code-point offsets, for evidence.
	cpS, cpE int
	dates    []sentDate
	// anchor is the latest dated context before the sentence, for dates
	// without a year ("in March").
	anchor DateExpr
}

// sentDate is a date expression in a sentence, located by tokens.
type sentDate struct {
	i, j int
	DateExpr
}

func (s *sent) tok(k int) token { return s.st.toks[k] }
func (s *sent) n() int          { return len(s.st.toks) }

// gapAfter is the text between token k and the next, or "" at the end.
func (s *sent) gapAfter(text string, k int) string {
	if k < 0 || k+1 >= len(s.st.toks) {
		return ""
	}
	return gap(text, s.st.toks[k], s.st.toks[k+1])
}

// fold is the folded token k, or "" outside the sentence.
func (s *sent) fold(k int) string {
	if k < 0 || k >= len(s.st.toks) {
		return ""
	}
	return s.st.toks[k].fold
}

// mentAt returns the mention covering token k.
func (s *sent) mentAt(k int) (ment, bool) {
	if k < 0 || k >= len(s.at) || s.at[k] < 0 {
		return ment{}, false
	}
	return s.ms[s.at[k]], true
}

// clauses builds the sentences' mention lists and resolves anaphors.
func (d *doc) clauses() []*sent {
	out := make([]*sent, len(d.sents))
	for si, st := range d.sents {
		s := &sent{si: si, st: st, at: make([]int, len(st.toks)), hot: make([]uint8, len(st.toks)),
			cpS: d.offs.at(st.s), cpE: d.offs.at(st.e)}
		for k, t := range st.toks {
			if t.num {
				s.hot[k] = hotToll
			} else {
				s.hot[k] = hotWords[t.fold]
			}
		}
		out[si] = s
	}
	for _, c := range d.cands {
		idx, ok := d.entityOf[d.groups.find(c.group)]
		if !ok {
			continue
		}
		s := out[c.si]
		s.ms = append(s.ms, ment{i: c.i, j: c.j, ent: idx, typ: d.ents[idx].Type})
	}
	anchor := d.anchor
	for si, s := range out {
		slices.SortFunc(s.ms, func(a, b ment) int { return a.i - b.i })
		d.index(s)
		d.resolveAnaphors(s, out[max(0, si-3):si])
		d.findSentDates(s)
		s.anchor = anchor
		for _, dt := range s.dates {
			if dt.Year != 0 {
				anchor = dt.DateExpr
			}
		}
	}
	return out
}

// index maps tokens to mentions and marks the mentions that sit in a
// prepositional phrase, directly ("of Pakistan") or as part of a list
// that does ("from Burundi, Kenya and Djibouti").
func (d *doc) index(s *sent) {
	d.indexTokens(s)
	for n := range s.ms {
		s.ms[n].pp = d.inPrepPhrase(s, s.ms[n])
	}
	// A list is in a prepositional phrase when its first member is:
	// "from Burundi, Kenya, Ethiopia and Djibouti". Members are joined by
	// commas and a final "and"/"or"; a comma alone joins nothing ("of
	// Chatham House, Iran had …").
	for n := 0; n < len(s.ms); n++ {
		if !s.ms[n].pp {
			continue
		}
		end, listed := n, false
		for e := n + 1; e < len(s.ms); e++ {
			p, m := s.ms[e-1], s.ms[e]
			between := m.i - p.j - 1
			if p.ent == m.ent && between == 0 {
				// "of the Revolutionary Guard Corps (IRGC)" restates the member.
				if e-1 == end {
					s.ms[e].pp = true
					end = e
				}
				continue
			}
			g := strings.TrimSpace(s.gapAfter(d.text, p.j))
			and := between >= 1 && between <= 2 && (s.fold(m.i-1) == "and" || s.fold(m.i-1) == "or" ||
				s.fold(m.i-2) == "and" && s.fold(m.i-1) == "the")
			if and {
				end, listed = e, true
				break
			}
			if !(between == 0 && g == ",") && !(between == 1 && s.fold(m.i-1) == "the" && g == ",") {
				break
			}
		}
		if listed {
			for e := n + 1; e <= end; e++ {
				s.ms[e].pp = true
			}
			if end+1 < len(s.ms) && s.ms[end+1].ent == s.ms[end].ent && s.ms[end+1].i == s.ms[end].j+1 {
				end++
				s.ms[end].pp = true
			}
		}
		n = end
	}
}

// namingVerbs before "as" introduce another name: "known as".
var namingVerbs = setOf("known", "called", "named", "dubbed", "styled", "styling", "calling", "referred", "rebranded",
	"renamed", "designated", "identified", "described")

// subordinators are prepositions that also open clauses.
var subordinators = setOf("after", "before", "since", "until")

// articles may stand between a preposition and its object.
var articles = setOf("the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those")

// indexTokens maps each token to the mention covering it.
func (d *doc) indexTokens(s *sent) {
	for k := range s.at {
		s.at[k] = -1
	}
	for n, m := range s.ms {
		for k := m.i; k <= m.j; k++ {
			s.at[k] = n
		}
	}
}

// inPrepPhrase reports whether a mention is the object of a preposition,
// past titles, articles and compass words ("under President Donald
// Trump", "in the Red Sea", "of southern and central Somalia"). After,
// before, since and until also open clauses, whose subjects are no
// prepositional objects; "known as ISIS-Somalia" names, it does not
// subordinate.
func (d *doc) inPrepPhrase(s *sent, m ment) bool {
	k := m.i - 1
	for k > 0 && k >= m.i-4 && s.at[k] < 0 && (titles[s.fold(k)] && s.tok(k).cap || articles[s.fold(k)] ||
		compassWords[s.fold(k)] || s.fold(k) == "and" && compassWords[s.fold(k-1)] ||
		strings.HasSuffix(s.fold(k), "eastern") || strings.HasSuffix(s.fold(k), "western")) {
		k--
	}
	return k >= 0 && s.at[k] < 0 && preps[s.fold(k)] && !(s.fold(k) == "as" && (s.fold(k-1) == "such" || namingVerbs[s.fold(k-1)])) &&
		!subordinators[s.fold(k)]
}

// anaphorNouns are the heads of definite descriptions that refer back to an
// armed group: "the group", "the terror outfit", "the movement".
var anaphorNouns = setOf("group", "outfit", "movement", "network", "militia", "faction", "insurgency", "coalition", "alliance",
	"insurgents", "militants", "jihadists", "rebels", "organisation", "organization")

// pluralAnaphorNouns refer back to a list of groups: "these outfits".
var pluralAnaphorNouns = setOf("groups", "organisations", "organizations", "outfits", "movements", "militias",
	"factions", "networks", "proxies")

// stateAnaphorNouns refer back to a country acting as a state.
var stateAnaphorNouns = setOf("country", "state", "government", "kingdom", "republic")

type typeOK func(faultline.EntityType) bool

var (
	armedOnly = func(t faultline.EntityType) bool { return t == faultline.ArmedGroup }
	orgLike   = func(t faultline.EntityType) bool {
		return t == faultline.Organization || t == faultline.PoliticalParty || t == faultline.GovernmentBody
	}
	itLike = func(t faultline.EntityType) bool {
		return t == faultline.ArmedGroup || t == faultline.Organization || t == faultline.PoliticalParty ||
			t == faultline.GovernmentBody || t == faultline.Country
	}
	personOnly  = func(t faultline.EntityType) bool { return t == faultline.Person }
	countryOnly = func(t faultline.EntityType) bool { return t == faultline.Country }
)

// antecedent picks what an anaphor at token k refers to, by salience: for
// each acceptable type in turn, the nearest earlier mention in the same
// sentence that is not inside a prepositional phrase, then the subject
// (first such mention) of the previous sentences, then the most recent
// mention of any kind in them.
func (d *doc) antecedent(s *sent, k int, prev []*sent, prefs ...typeOK) (ment, bool) {
	// A demonym is an adjective ("Iranian security forces captured its
	// leader"), and the speaker of a reported clause is not what the
	// clause is about ("a UN group reported that it had supplied …").
	usable := func(ps *sent, n int, m ment) bool {
		return !d.compoundModifier(ps, m) && !d.isDemonymMention(ps, m)
	}
	for _, ok := range prefs {
		for n := len(s.ms) - 1; n >= 0; n-- {
			if m := s.ms[n]; m.j < k && ok(m.typ) && !s.ms[n].pp && usable(s, n, m) && !d.speakerBefore(s, m, k, m.typ == faultline.Person) {
				return m, true
			}
		}
		if len(prev) > 0 {
			ps := prev[len(prev)-1]
			for n, m := range ps.ms {
				// "The group's deadliest attack came …": a sentence-initial
				// possessor is its topic.
				if ok(m.typ) && !ps.ms[n].pp && usable(ps, n, m) && (!d.possessive(ps, m) || m.i <= 1) {
					return m, true
				}
			}
		}
		// The document's topic: the most mentioned entity of the type,
		// when it clearly is one ("the insurgents" after a section
		// heading).
		best, count := -1, 2
		for i, e := range d.ents {
			if ok(e.Type) && len(e.Mentions) > count {
				best, count = i, len(e.Mentions)
			}
		}
		if best >= 0 {
			return ment{ent: best, typ: d.ents[best].Type}, true
		}
		for p := len(prev) - 1; p >= 0; p-- {
			ps := prev[p]
			for n := len(ps.ms) - 1; n >= 0; n-- {
				if m := ps.ms[n]; ok(m.typ) && usable(ps, n, m) {
					return m, true
				}
			}
		}
	}
	return ment{}, false
}

// isDemonymMention reports whether a mention is a lone demonym ("Iranian").
func (d *doc) isDemonymMention(s *sent, m ment) bool {
	if m.anaphor || m.i != m.j || m.typ != faultline.Country {
		return false
	}
	_, ok := d.x.lex.demonyms[s.fold(m.i)]
	return ok
}

// speakerBefore reports whether mention m speaks a clause that reaches
// token k: "m said/reported that … k".
func (d *doc) speakerBefore(s *sent, m ment, k int, person bool) bool {
	for h := m.j + 1; h < k && h <= m.j+4; h++ {
		// "Blinken said the Taliban had hosted him": a person speaking of
		// himself would say "me".
		if reportsOnOthers[s.fold(h)] || person && speechOnly[s.fold(h)] {
			return true
		}
	}
	return false
}

// reportsOnOthers are verbs whose clause is usually about someone else
// ("a UN group reported that it had supplied …"); after "said",
// "announced" or "claimed" a pronoun is mostly the speaker ("Oman said it
// had brokered a deal").
var reportsOnOthers = setOf("reported", "reports", "alleged", "alleges", "accused", "accuses", "found", "concluded",
	"noted", "suggested", "believes", "believed", "thinks", "thought", "warned", "argued", "wrote")

// resolveAnaphors adds pronouns and definite descriptions as mentions of
// what they refer to: "the group" and "it" to an armed group, "he" to a
// person, "the country" to a country, "these outfits" to a list of groups.
func (d *doc) resolveAnaphors(s *sent, prev []*sent) {
	toks := s.st.toks
	// Each anaphor joins the sentence's mentions at once, so a later one
	// can refer through it ("the group … designated it").
	insert := func(ms ...ment) {
		for n := range ms {
			ms[n].pp = d.inPrepPhrase(s, ms[n])
		}
		s.ms = append(s.ms, ms...)
		slices.SortStableFunc(s.ms, func(a, b ment) int { return a.i - b.i })
		d.indexTokens(s)
	}
	link := func(k, h int, prefs ...typeOK) {
		if m, ok := d.antecedent(s, k, prev, prefs...); ok {
			insert(ment{i: k, j: h, ent: m.ent, typ: m.typ, anaphor: true})
		}
	}
	for k := 0; k < len(toks); k++ {
		if s.at[k] >= 0 || toks[k].cap && k > 0 {
			continue
		}
		f := toks[k].fold
		switch {
		case (f == "the" && s.fold(k+1) == "two" || f == "both") && (pluralAnaphorNouns[s.fold(k+2)] || pluralAnaphorNouns[s.fold(k+1)] || s.fold(k+2) == "sides" || s.fold(k+1) == "sides" ||
			f == "the" && twoVerbs[s.fold(k+2)]):
			// "the two groups", "both sides", "the two have fought each
			// other": the last two actors.
			h := k + 1
			if f == "the" && !twoVerbs[s.fold(k+2)] {
				h = k + 2
			}
			var list []ment
			for _, m := range d.lastList(s, prev, k) {
				list = append(list, ment{i: k, j: h, ent: m.ent, typ: m.typ, anaphor: true})
			}
			if len(list) < 2 && f == "the" && twoVerbs[s.fold(k+2)] {
				// "JNIM competes with ISGS, and the two have fought": the
				// two groups named last, listed or not.
				list = list[:0]
				for n := len(s.ms) - 1; n >= 0 && len(list) < 2; n-- {
					m := s.ms[n]
					if m.j < k && armedOnly(m.typ) && (len(list) == 0 || list[0].ent != m.ent) {
						list = append([]ment{{i: k, j: h, ent: m.ent, typ: m.typ, anaphor: true}}, list...)
					}
				}
			}
			if len(list) >= 2 {
				insert(list[len(list)-2:]...)
			}
			k = h
		case f == "the" || f == "this" || f == "that":
			// "the (terror) group": at most two modifiers before the head.
			for h := k + 1; h <= k+3 && h < len(toks); h++ {
				t := toks[h]
				if s.at[h] >= 0 || t.cap {
					break
				}
				if anaphorNouns[t.fold] {
					if h+1 < len(toks) && (toks[h+1].fold == "of" || toks[h+1].cap) {
						break // "the group of …", "the group Ansar …"
					}
					if m, ok := d.namedByHead(s, k, prev, t.fold); ok {
						// "the network" after "the Haqqani Network": the
						// noun is the name's own.
						insert(ment{i: k, j: h, ent: m.ent, typ: m.typ, anaphor: true})
					} else if t.fold == "organisation" || t.fold == "organization" {
						link(k, h, armedOnly, orgLike)
					} else {
						link(k, h, armedOnly)
					}
					k = h
					break
				}
				if stateAnaphorNouns[t.fold] && h == k+1 {
					if h+1 < len(toks) && (toks[h+1].fold == "of" || toks[h+1].cap) {
						break
					}
					link(k, h, countryOnly)
					k = h
					break
				}
			}
		case f == "these" || f == "those" || f == "such":
			for h := k + 1; h <= k+5 && h < len(toks); h++ {
				if n := s.at[h]; n >= 0 {
					// "these Iran-backed militias"
					if m := s.ms[n]; d.compoundModifier(s, m) {
						h = m.j + 1
						continue
					}
					break
				}
				if pluralAnaphorNouns[toks[h].fold] {
					var list []ment
					for _, m := range d.lastList(s, prev, k) {
						list = append(list, ment{i: k, j: h, ent: m.ent, typ: m.typ, anaphor: true})
					}
					insert(list...)
					k = h
					break
				}
			}
		case f == "it" || f == "its":
			if f == "it" && d.expletive(s, k) {
				continue
			}
			// "Jundallah and its leader": the name just before.
			if m, ok := s.mentAt(k - 2); ok && f == "its" && s.fold(k-1) == "and" && itLike(m.typ) {
				insert(ment{i: k, j: k, ent: m.ent, typ: m.typ, anaphor: true})
				continue
			}
			// "its fighters", "its bases", "its leader": what has those
			// is most often an armed group.
			if f == "its" && (presenceNouns[s.fold(k+1)] || memberNouns[s.fold(k+1)] || s.fold(k+1) == "attacks") {
				link(k, k, armedOnly, itLike)
				continue
			}
			link(k, k, itLike)
		case f == "he" || f == "his" || f == "him" || f == "she" || f == "her":
			link(k, k, personOnly)
		case f == "they" || f == "their" || f == "them":
			// Armed groups are often plural: "the Houthis … they".
			link(k, k, armedOnly)
		}
	}
}

// distinctiveHeads are the anaphor nouns specific enough to pick a group
// by its name.
var distinctiveHeads = setOf("network", "movement", "militia", "faction", "front", "army", "brigade", "coalition", "alliance")

// twoVerbs after "the two" make it a pronoun: "the two have fought".
var twoVerbs = setOf("have", "had", "has", "are", "were", "fought", "clashed", "signed", "agreed", "remain", "remained", "met", "merged")

// namedByHead finds the group a definite description names by its own
// head noun ("the network" for the Haqqani Network, "the movement" for the
// Taliban Movement): the latest such mention before token k in this
// sentence or the ones before, else the only group of the document so
// named. Salience alone would pick whichever group came last.
func (d *doc) namedByHead(s *sent, k int, prev []*sent, noun string) (ment, bool) {
	// "the group" is every group's word ("Wagner Group" included); only a
	// distinctive head names one.
	if !distinctiveHeads[noun] {
		return ment{}, false
	}
	named := func(ent int) bool {
		e := &d.ents[ent]
		if e.Type != faultline.ArmedGroup && e.Type != faultline.Organization && e.Type != faultline.PoliticalParty {
			return false
		}
		return hasWord(e.Name, noun)
	}
	for n := len(s.ms) - 1; n >= 0; n-- {
		if m := s.ms[n]; m.j < k && named(m.ent) {
			return m, true
		}
	}
	for p := len(prev) - 1; p >= 0; p-- {
		for n := len(prev[p].ms) - 1; n >= 0; n-- {
			if m := prev[p].ms[n]; named(m.ent) {
				return m, true
			}
		}
	}
	found := -1
	for i := range d.ents {
		if named(i) {
			if found >= 0 {
				return ment{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return ment{}, false
	}
	return ment{ent: found, typ: d.ents[found].Type}, true
}

// hasWord reports whether name holds word as a whole word (split at
// spaces and hyphens, case folded), without allocating: it runs for every
// definite description of a document.
func hasWord(name, word string) bool {
	for name != "" {
		i := strings.IndexAny(name, " -")
		w := name
		if i >= 0 {
			w, name = name[:i], name[i+1:]
		} else {
			name = ""
		}
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

// expletive reports whether "it" at k is a dummy subject: "it is crucial
// to", "it seems that".
func (d *doc) expletive(s *sent, k int) bool {
	next := s.fold(k + 1)
	switch next {
	case "is", "was", "seems", "seemed", "appears", "appeared", "remains", "remained", "has", "had", "would",
		"will", "may", "might", "could", "can", "becomes", "became", "took", "takes", "s":
	default:
		return false
	}
	for h := k + 2; h <= k+6 && h < s.n(); h++ {
		if f := s.fold(h); f == "to" || f == "that" || f == "whether" || f == "unclear" || f == "likely" {
			return true
		}
	}
	return false
}

// lastList finds the most recent coordinated list of two or more armed
// groups before token k, in this sentence or the one before it.
func (d *doc) lastList(s *sent, prev []*sent, k int) []ment {
	var cands []ment
	for _, m := range s.ms {
		if !m.anaphor && m.j < k {
			cands = append(cands, m)
		}
	}
	if len(cands) == 0 && len(prev) > 0 {
		cands = prev[len(prev)-1].ms
	}
	var out []ment
	seen := map[int]bool{}
	for n := len(cands) - 1; n >= 0; n-- {
		m := cands[n]
		if m.typ != faultline.ArmedGroup {
			if len(out) > 0 {
				break
			}
			continue
		}
		if !seen[m.ent] {
			seen[m.ent] = true
			out = append(out, m)
		}
	}
	if len(out) < 2 {
		return nil
	}
	slices.Reverse(out)
	return out
}

// findSentDates finds the sentence's date expressions on its own tokens.
func (d *doc) findSentDates(s *sent) {
	has := false
	for k := range s.st.toks {
		if s.hot[k]&(hotToll|hotMonth) != 0 && (s.st.toks[k].num || s.hot[k]&hotMonth != 0) {
			has = true
			break
		}
	}
	if !has {
		return
	}
	for _, td := range tokenDates(d.text, s.st.toks) {
		s.dates = append(s.dates, sentDate{i: td.i, j: td.j, DateExpr: td.DateExpr})
	}
}

// documentAnchor parses the document's own date, if any, as the anchor for
// year-less dates.
func documentAnchor(published string) DateExpr {
	if ds := Dates(strings.TrimSpace(published)); len(ds) > 0 {
		return ds[0]
	}
	return DateExpr{}
}

// datelineAnchor finds a document's own date in its opening lines when no
// metadata gave one: a line that is little more than a full date ("July
// 17, 2025"), or a dateline ("WASHINGTON, July 17, 2025 —").
func (d *doc) datelineAnchor() DateExpr {
	n := 0
	head := d.text[:min(len(d.text), 2000)]
	for line := range strings.Lines(head) {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if n++; n > 12 {
			break
		}
		probe := t
		if len(probe) > 60 {
			probe = probe[:60]
		}
		ds := Dates(probe)
		if len(ds) == 0 || ds[0].Precision != PrecisionDay {
			continue
		}
		// the date fills the line, or follows a capitalised place and
		// comes before a dash
		if len(t) <= len(ds[0].Text)+12 || strings.ContainsAny(probe[:min(len(probe), 50)], "—–-") {
			return ds[0]
		}
	}
	return DateExpr{}
}

// inDate reports whether token k belongs to a date expression.
func (s *sent) inDate(k int) bool {
	for _, dt := range s.dates {
		if dt.i <= k && k <= dt.j {
			return true
		}
	}
	return false
}

// resolve gives a year-less date the year of the latest dated context
// before it: an earlier date in the same sentence ("captured in February
// 2010; he was executed that June"), else the sentence's anchor.
func (d *doc) resolve(s *sent, dt sentDate) DateExpr {
	if dt.Year != 0 {
		return dt.DateExpr
	}
	anchor := s.anchor
	for _, o := range s.dates {
		if o.i < dt.i && o.Year != 0 {
			anchor = o.DateExpr
		}
	}
	return dt.DateExpr.Resolve(anchor)
}
