package extract

import (
	"strings"

	faultline "github.com/faultline-osint/faultline"
)

// Argument finding: which mentions a trigger word takes as its subject and
// objects. English word order does most of the work; the rules below know
// prepositions, possessives, coordination and clause boundaries, and
// nothing of syntax trees, so they stay within a clause and prefer saying
// nothing to guessing across one.

// possessive reports whether mention m is followed by "'s" or is a
// possessive pronoun, so that it modifies the noun after it.
func (d *doc) possessive(s *sent, m ment) bool {
	if m.anaphor && m.i == m.j {
		switch s.fold(m.i) {
		case "its", "his", "her", "their":
			return true
		}
		return false
	}
	if m.j+1 >= s.n() {
		return false
	}
	g := gap(d.text, s.tok(m.j), s.tok(m.j+1))
	if (g == "'" || g == "’") && s.fold(m.j+1) == "s" {
		return true
	}
	// "Brookings' analyst": a possessive apostrophe after a final s.
	if strings.HasSuffix(s.fold(m.j), "s") && (strings.HasPrefix(g, "' ") || strings.HasPrefix(g, "’ ")) {
		return true
	}
	return false
}

// after is the first token after mention m, past a possessive "'s".
func (d *doc) after(s *sent, m ment) int {
	if d.possessive(s, m) && s.fold(m.j+1) == "s" && gap(d.text, s.tok(m.j), s.tok(m.j+1)) != " " {
		return m.j + 2
	}
	return m.j + 1
}

// compoundModifier reports whether a mention is the first half of a
// hyphenated modifier ("Iran-trained fighters", "Iran-backed"), which
// makes it no argument of a verb.
func (d *doc) compoundModifier(s *sent, m ment) bool {
	return m.j+1 < s.n() && gap(d.text, s.tok(m.j), s.tok(m.j+1)) == "-" && !s.tok(m.j+1).cap && s.at[m.j+1] < 0
}

// breakBetween reports whether a clause boundary lies between tokens a and
// b (exclusive): a clause word, or a semicolon, colon or bracket in a gap.
func (d *doc) breakBetween(s *sent, a, b int) bool {
	for k := a + 1; k < b; k++ {
		if s.at[k] < 0 && clauseBreaks[s.fold(k)] {
			return true
		}
	}
	for k := a; k < b && k+1 < s.n(); k++ {
		if strings.ContainsAny(gap(d.text, s.tok(k), s.tok(k+1)), ";:") {
			return true
		}
	}
	return false
}

// isActor reports whether a mention can act: not a place, not a demonym
// used as an adjective.
func isActor(m ment) bool { return m.typ.IsActor() }

// subjectLeft finds the subject of the trigger at token t: the nearest
// actor mention before it in the clause that is not the object of a
// preposition and, unless the trigger is a noun, not a possessive
// modifying something else ("Iraq's stability by sending").
func (d *doc) subjectLeft(s *sent, t int, noun bool) (ment, bool) {
	var fallback *ment
	// "insurgents besieged the embassy": a common noun right before a
	// finite verb is its subject, and no name further left is.
	if !noun && t > 0 && s.at[t-1] < 0 && strings.HasSuffix(s.fold(t), "ed") && d.commonNounSubject(s, t-1) {
		return ment{}, false
	}
	for k := t - 1; k >= 0 && k >= t-24; k-- {
		if k+1 < s.n() && strings.ContainsAny(gap(d.text, s.tok(k), s.tok(k+1)), ";:") {
			break
		}
		n := s.at[k]
		if n < 0 {
			f := s.fold(k)
			if (f == "that" || f == "which" || f == "who") && k > 0 && s.at[k-1] < 0 {
				// "X is a Sunni jihadist organization that has fought …",
				// "X, a Baloch militant group that fights …": the
				// relative clause is about X.
				if m, ok := d.describedBy(s, k); ok {
					return m, true
				}
				if f == "that" {
					break
				}
			}
			if f == "but" || f == "whether" || f == "if" || f == "because" {
				break
			}
			// "X said five fighters had been killed": the speaker is not
			// the subject of what is reported.
			if speechOnly[f] && k < t-1 {
				break
			}
			continue
		}
		m := s.ms[n]
		// the earliest mention sharing these tokens
		for n > 0 && s.ms[n-1].j >= m.i {
			n--
			m = s.ms[n]
		}
		k = m.i
		if !isActor(m) || d.demonymAdj(s, m) || d.compoundModifier(s, m) {
			continue
		}
		// "a coalition led by Saudi Arabia … intervened": the leader
		// stands for what it leads.
		if s.ms[n].pp && s.fold(m.i-1) == "by" && (s.fold(m.i-2) == "led" || s.fold(m.i-2) == "headed") && k < t-2 {
			return m, true
		}
		// "fighters of the Baloch Liberation Army halted …"
		if s.ms[n].pp && s.fold(m.i-1) == "of" && memberOf[s.fold(m.i-2)] && !preps[s.fold(m.i-3)] {
			return m, true
		}
		if s.ms[n].pp {
			// "The arrival of al-Shabaab in Puntland has provoked …": an
			// actor in the of-phrase of a sentence-initial noun stands in
			// when nothing better comes.
			if s.fold(m.i-1) == "of" && m.i <= 4 && fallback == nil {
				mm := m
				fallback = &mm
			}
			if s.fold(m.i-1) != "like" {
				continue
			}
		}
		if d.possessive(s, m) && !noun && !d.memberPossessive(s, m) {
			continue
		}
		return m, true
	}
	if fallback != nil {
		return *fallback, true
	}
	return ment{}, false
}

// describedBy finds the actor a noun phrase ending before token k
// describes, through a copula ("X is a … group that") or an apposition
// ("X, a … group that").
func (d *doc) describedBy(s *sent, k int) (ment, bool) {
	for h := k - 1; h >= 0 && h >= k-8; h-- {
		if s.at[h] >= 0 {
			return ment{}, false
		}
		f := s.fold(h)
		if f == "a" || f == "an" || f == "the" {
			p := h - 1
			if p >= 0 && (s.fold(p) == "is" || s.fold(p) == "was" || s.fold(p) == "remains" || s.fold(p) == "became") {
				p--
			} else if p < 0 || !strings.Contains(s.gapAfter(d.text, p), ",") {
				continue
			}
			if m, ok := s.mentAt(p); ok && isActor(m) && m.typ != faultline.Person {
				return m, true
			}
			return ment{}, false
		}
		if preps[f] && f != "of" || clauseBreaks[f] {
			return ment{}, false
		}
	}
	return ment{}, false
}

// commonNounSubject reports whether token k is a plural common noun that
// can be a verb's subject ("insurgents", "gunmen"), not an adverb, an
// auxiliary or a group member word that lets a possessor act ("the
// group's fighters").
func (d *doc) commonNounSubject(s *sent, k int) bool {
	f := s.fold(k)
	if s.tok(k).cap || len(f) < 4 || !strings.HasSuffix(f, "s") || strings.HasSuffix(f, "ss") || strings.HasSuffix(f, "ous") {
		return false
	}
	if memberOf[f] || passiveAux[f] || preps[f] || clauseBreaks[f] || articles[f] || strings.HasSuffix(f, "ly") ||
		f == "has" || f == "was" || f == "is" || f == "its" || f == "this" || f == "thus" || f == "always" ||
		f == "perhaps" || f == "sometimes" || f == "afterwards" || f == "towards" || f == "others" {
		return false
	}
	return !strings.ContainsAny(s.gapAfter(d.text, k), ",;:")
}

// memberOf nouns before "of X" make X the actor: "fighters of the BLA".
var memberOf = setOf("fighters", "militants", "members", "gunmen", "commandos", "operatives", "cadres", "troops",
	"forces", "units", "soldiers", "men", "suicide", "squads", "cells")

// memberPossessive reports whether a possessive subject stands for the
// group itself: "ISKP's fighters attacked".
func (d *doc) memberPossessive(s *sent, m ment) bool {
	k := d.after(s, m)
	for ; k < s.n() && roleModifiers[s.fold(k)]; k++ {
	}
	switch s.fold(k) {
	case "fighters", "militants", "forces", "troops", "men", "operatives", "commanders", "leaders", "cadres",
		"leadership", "members", "gunmen", "units", "military", "army", "agents", "proxies":
		return true
	}
	return false
}

// demonymAdj reports whether a mention is a demonym used as an adjective
// ("Pakistani territory"): it names a country for roles but is not an
// argument of a verb.
func (d *doc) demonymAdj(s *sent, m ment) bool {
	if m.anaphor || m.i != m.j || m.typ != faultline.Country {
		return false
	}
	_, ok := d.x.lex.demonyms[s.fold(m.i)]
	if !ok || s.tok(m.i).upper {
		return false
	}
	// "Israeli jets", "Indian security forces": the state acting.
	for k := m.j + 1; k < s.n() && k <= m.j+3; k++ {
		f := s.fold(k)
		if stateAgents[f] {
			return false
		}
		if s.at[k] >= 0 || !roleModifiers[f] && f != "security" && f != "armed" && f != "special" && f != "border" {
			break
		}
	}
	return true
}

// stateAgents after a demonym make it stand for its state.
var stateAgents = setOf("soil", "territory", "airspace", "waters", "side",
	"forces", "force", "troops", "soldiers", "army", "military", "police", "officials",
	"authorities", "government", "jets", "aircraft", "warplanes", "warships", "navy", "drones", "missiles",
	"artillery", "personnel", "diplomats", "embassy", "consulate", "nationals", "citizens", "intelligence",
	"commandos", "paratroopers", "helicopters", "units", "regime", "state")

// speechOnly are verbs of saying that end the search for a subject.
var speechOnly = setOf("said", "says", "told", "tells", "stated", "added", "noted", "announced", "claimed",
	"insisted", "warned", "argued", "wrote", "explained", "acknowledged", "admitted", "confirmed", "reported",
	"alleged", "denied", "believes", "believed", "thinks", "thought")

// subjectAfterComma finds the subject of a sentence-initial adjunct
// ("By arming the militia, Tehran can …"): the first actor after
// the comma that ends the adjunct.
func (d *doc) subjectAfterComma(s *sent, t int) (ment, bool) {
	if t > 14 {
		return ment{}, false
	}
	switch s.fold(0) {
	case "by", "while", "after", "before", "despite", "following", "in", "through", "having", "since", "when",
		"without", "to", "for":
	default:
		return ment{}, false
	}
	// The adjunct must have no subject of its own: "After they announced
	// …, the United States launched" is not the United States announcing.
	for k := 1; k < t; k++ {
		switch s.fold(k) {
		case "they", "he", "she", "it", "we", "i":
			return ment{}, false
		}
		if s.at[k] >= 0 && !s.ms[s.at[k]].pp && !d.possessive(s, s.ms[s.at[k]]) {
			return ment{}, false
		}
	}
	for k := t; k+1 < s.n() && k < t+16; k++ {
		if strings.Contains(gap(d.text, s.tok(k), s.tok(k+1)), ",") {
			if m, ok := s.mentAt(k + 1); ok && isActor(m) && !d.possessive(s, m) {
				return m, true
			}
			// "By doing so, the state …"
			if m, ok := s.mentAt(k + 2); ok && isActor(m) && s.fold(k+1) == "the" {
				return m, true
			}
			return ment{}, false
		}
	}
	return ment{}, false
}

// listLeft returns the subject with the mentions coordinated before it,
// "the BLA and the BLF attacked", and every group a plural anaphor
// stands for ("these outfits share …").
func (d *doc) listLeft(s *sent, m ment) []ment {
	out := []ment{m}
	if m.anaphor {
		for _, o := range s.ms {
			if o.anaphor && o.i == m.i && o.j == m.j && o.ent != m.ent {
				out = append(out, o)
			}
		}
		return out
	}
	var list []ment
	cur := m
	sawAnd := false
	for {
		k := cur.i - 1
		and := false
		for k >= 0 && k >= cur.i-3 && s.at[k] < 0 && (s.fold(k) == "and" || s.fold(k) == "the" || s.fold(k) == "or") {
			and = and || s.fold(k) == "and" || s.fold(k) == "or"
			k--
		}
		if k < 0 || s.at[k] < 0 {
			break
		}
		prev := s.ms[s.at[k]]
		comma := strings.Contains(gap(d.text, s.tok(prev.j), s.tok(prev.j+1)), ",")
		if prev.ent == cur.ent && !and { // "Islamic State Khorasan Province (ISKP)"
			cur = prev
			continue
		}
		if !and && !comma || !isActor(prev) || d.possessive(s, prev) || preps[s.fold(prev.i-1)] && s.at[prev.i-1] < 0 {
			break
		}
		// "A, B and C": the join nearest the subject must be "and".
		if len(list) == 0 && !and {
			break
		}
		sawAnd = sawAnd || and
		list = append(list, prev)
		cur = prev
	}
	if sawAnd {
		out = append(out, list...)
	}
	return out
}

// objectsRight finds the objects of a trigger: the first mention at or
// after token k, within a short reach past articles, adjectives and an
// example marker ("organisations such as"), then every mention
// coordinated with it ("LeT, JeM and HuJI, as well as Al Qaeda").
// objectPronouns fill an object slot when no antecedent made them a
// mention.
var objectPronouns = setOf("him", "her", "them", "it", "us", "me", "himself", "herself", "themselves", "itself")

func (d *doc) objectsRight(s *sent, k int) []ment {
	reach := 4
	// "organisations such as LeT": an example marker a little way on
	// stretches the reach.
	for h := k; h < s.n() && h < k+10; h++ {
		f := s.fold(h)
		if s.at[h] >= 0 || clauseBreaks[f] || preps[f] && f != "like" {
			break
		}
		if f == "such" && s.fold(h+1) == "as" || f == "including" || f == "namely" || f == "notably" {
			reach = h - k + 6
			break
		}
	}
	var first ment
	found := false
	for h := k; h < s.n() && h < k+reach; h++ {
		// "target Israeli-linked shipping": a hyphenated modifier is no
		// object.
		if n := s.at[h]; n >= 0 && d.compoundModifier(s, s.ms[n]) {
			h = s.ms[n].j + 1
			continue
		}
		// "seized the capital, Sanaa": a place noun and its name.
		if h > k && ofPlaceNouns[s.fold(h-1)] && strings.TrimSpace(gap(d.text, s.tok(h-1), s.tok(h))) == "," && s.at[h] >= 0 {
			first, found = s.ms[s.at[h]], true
			break
		}
		if h > k && strings.Contains(gap(d.text, s.tok(h-1), s.tok(h)), ",") && s.fold(h) != "including" &&
			s.fold(h) != "such" && s.fold(h) != "notably" && s.fold(h) != "namely" && s.fold(h) != "especially" {
			return nil
		}
		if n := s.at[h]; n >= 0 {
			m := s.ms[n]
			if d.possessive(s, m) {
				// "tolerating its bases": the group whose bases they are.
				if presenceNouns[s.fold(d.after(s, m))] {
					first, found = m, true
					break
				}
				// "to Pakistan's Balochistan province": a possessive
				// modifies what follows; keep looking.
				h = d.after(s, m) - 1
				continue
			}
			first, found = m, true
			break
		}
		f := s.fold(h)
		if f == "such" || f == "including" || f == "namely" || f == "like" || f == "notably" || f == "especially" {
			reach = h - k + 6
			continue
		}
		if s.tok(h).num {
			return nil // "the takeover of 2021": a date, not an actor
		}
		if objectPronouns[f] {
			return nil // "by hosting him, and US officials said": the object is filled
		}
		// "in the mountains of the Bari region": a place noun's "of"
		// leads on to the place.
		if f == "of" && h > k && ofPlaceNouns[s.fold(h-1)] {
			reach += 2
			continue
		}
		if clauseBreaks[f] || f == "that" || preps[f] && f != "like" && !(f == "of" && h == k) && !(f == "as" && s.fold(h-1) == "such") {
			return nil
		}
		if h+1 < s.n() && strings.ContainsAny(gap(d.text, s.tok(h), s.tok(h+1)), ";:") {
			return nil
		}
	}
	if !found {
		return nil
	}
	out := []ment{first}
	cur := first
	for {
		n := s.at[cur.j] + 1
		for n < len(s.ms) && s.ms[n].i <= cur.j {
			n++
		}
		if n >= len(s.ms) {
			return out
		}
		next := s.ms[n]
		if !d.coordinated(s, cur, next) {
			return out
		}
		if next.ent != cur.ent && !d.possessive(s, next) {
			out = append(out, next)
		}
		cur = next
	}
}

// presenceNouns after a possessive object make the possessor the object:
// "tolerating its bases", "sheltering the group's leaders".
var presenceNouns = setOf("bases", "base", "presence", "fighters", "militants", "camps", "leaders", "leadership",
	"operatives", "members", "activities", "operations", "sanctuaries", "sanctuary", "hideouts", "networks",
	"cadres", "commanders", "infrastructure", "safe", "havens", "men", "forces", "troops")

// coordinated reports whether mention b continues a list that mention a is
// in: only commas, "and", "or", "as well as", articles and a few
// adjectives between, or b restating a ("… Al Qaeda (AQ)").
func (d *doc) coordinated(s *sent, a, b ment) bool {
	g := gap(d.text, s.tok(a.j), s.tok(a.j+1))
	if b.ent == a.ent && b.i == a.j+1 {
		return true
	}
	words := b.i - a.j - 1
	if words > 9 {
		return false
	}
	joined := strings.Contains(g, ",")
	for k := a.j + 1; k < b.i; k++ {
		f := s.fold(k)
		// "Godane, an al-Shabaab commander": an apposition, not a list.
		if f == "a" || f == "an" || f == "one" || s.tok(k).num {
			return false
		}
		if clauseBreaks[f] || f == "that" || f == "to" || f == "of" || f == "by" || f == "from" || f == "in" ||
			f == "against" || f == "on" || f == "for" || f == "at" || negations[f] {
			return false
		}
		if coordinators[f] {
			joined = true
		}
		if strings.Contains(gap(d.text, s.tok(k-1), s.tok(k)), ",") {
			joined = true
		}
		if strings.ContainsAny(gap(d.text, s.tok(k-1), s.tok(k)), ";:") {
			return false
		}
	}
	if strings.ContainsAny(gap(d.text, s.tok(b.i-1), s.tok(b.i)), ";:") {
		return false
	}
	if b.ent == a.ent && words == 0 {
		return true
	}
	if words > 3 && !containsSeq(s, a.j+1, b.i, "as", "well", "as") && !containsSeq(s, a.j+1, b.i, "along", "with") {
		return false
	}
	return joined
}

func containsSeq(s *sent, a, b int, words ...string) bool {
	for k := a; k+len(words) <= b; k++ {
		ok := true
		for n, w := range words {
			if s.fold(k+n) != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// prepAfter finds one of the prepositions within a few tokens after t,
// past articles, possessive pronouns and adjectives: "links with", "war
// on", "sanctuaries in". It returns the token after the preposition.
func (d *doc) prepAfter(s *sent, t int, want []string) (int, bool) {
	for k := t + 1; k < s.n() && k <= t+4; k++ {
		if s.at[k] >= 0 {
			return 0, false
		}
		f := s.fold(k)
		for _, w := range want {
			if f == w {
				return k + 1, true
			}
		}
		if preps[f] || clauseBreaks[f] || f == "that" {
			return 0, false
		}
		if strings.ContainsAny(gap(d.text, s.tok(k-1), s.tok(k)), ",;:") {
			return 0, false
		}
	}
	return 0, false
}
