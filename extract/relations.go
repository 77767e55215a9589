package extract

import (
	"slices"
	"strings"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// relCand is a relation found at one place in the text.
type relCand struct {
	s, o       int // entity indices
	pred       faultline.Predicate
	role, kind string
	mod        faultline.Modality
	attr       int
	from, to   string
	si, tok    int
	rule       string
}

// addRel records a relation between two mentions if the vocabulary allows
// it, reading its modality and time span around the trigger at token t.
func (d *doc) addRel(s *sent, subj, obj ment, pred faultline.Predicate, t int, rule string, role, kind string) {
	d.addRelFrom(s, subj, obj, pred, t, 0, rule, role, kind)
}

// addRelNP records a relation stated by a noun phrase that starts near
// token lo: only hedges within it count.
func (d *doc) addRelNP(s *sent, subj, obj ment, pred faultline.Predicate, t int, rule string, role, kind string) {
	lo := min(subj.i, obj.i, t)
	if subj.anaphor || obj.anaphor {
		lo = min(max(subj.i, obj.i), t)
	}
	d.addRelFrom(s, subj, obj, pred, t, max(lo-2, 0), rule, role, kind)
}

func (d *doc) addRelFrom(s *sent, subj, obj ment, pred faultline.Predicate, t, lo int, rule string, role, kind string) {
	if subj.ent == obj.ent || !faultline.ValidRelation(subj.typ, pred, obj.typ) {
		return
	}
	mod, attr, negated := d.modalityFrom(s, t, lo)
	if negated {
		return
	}
	if attr == subj.ent && pred != faultline.Supports || attr == obj.ent {
		// "Islamabad denied supporting X" keeps Islamabad as the denier;
		// a source is never the object of its own claim.
		if attr == obj.ent {
			attr = -1
		}
	}
	from, to := d.validity(s)
	d.rels = append(d.rels, relCand{s: subj.ent, o: obj.ent, pred: pred, role: role, kind: kind, mod: mod, attr: attr,
		from: from, to: to, si: s.si, tok: t, rule: rule})
}

// relations runs the relation rules over every sentence and merges what
// they find into the extraction's relations.
func (d *doc) relations(ss []*sent) []faultline.ExtractedRelation {
	d.ss = ss
	for _, s := range ss {
		if len(s.ms) < 2 {
			// A lone person may still hold a post whose state the
			// context gives ("Interior Minister X condemned …").
			if len(s.ms) == 1 && s.ms[0].typ == faultline.Person {
				d.roleRelations(s)
				d.tookCommand(s)
			}
			continue
		}
		from := len(d.rels)
		d.triggerRelations(s)
		d.tookCommand(s)
		d.roleRelations(s)
		d.partRelations(s)
		d.placeRelations(s)
		d.compoundRelations(s)
		d.predecessors(s, from)
	}
	d.dictionaryParents(ss)
	return d.emitRelations(ss)
}

// triggerRelations applies the trigger words: verbs and nouns that state a
// tie, with their subject on the left and their objects on the right.
func (d *doc) triggerRelations(s *sent) {
	for t := 0; t < s.n(); t++ {
		if s.hot[t]&hotRelation == 0 || s.at[t] >= 0 {
			continue
		}
		tok := s.tok(t)
		if tok.cap && t > 0 {
			continue
		}
		f := tok.fold
		if relocationVerbs[f] {
			d.relocation(s, t)
		}
		if operateVerbs[f] {
			d.operatesFrom(s, t)
		}
		if f == "collapse" || f == "breakdown" || f == "end" || f == "lapse" || f == "termination" || f == "unravelling" {
			d.endedPact(s, t)
		}
		if (f == "help" || f == "support" || f == "backing" || f == "assistance" || f == "aid" || f == "funding" ||
			f == "training" || f == "sponsorship") && s.fold(t+1) == "from" {
			d.helpFrom(s, t)
			continue
		}
		if (f == "help" || f == "support" || f == "backing" || f == "assistance" || f == "funding" || f == "sponsorship" ||
			f == "blessing" || f == "encouragement") && d.withSupport(s, t) {
			continue
		}
		if (f == "instrument" || f == "proxy" || f == "tool" || f == "extension" || f == "creature") && d.instrumentOf(s, t) {
			continue
		}
		if f == "use" || f == "usage" || f == "using" || f == "used" || f == "uses" {
			d.useOf(s, t)
			continue
		}
		if f == "allowing" || f == "allowed" || f == "allow" || f == "allows" || f == "letting" || f == "permitting" {
			d.allowing(s, t)
			continue
		}
		if f == "forced" || f == "forcing" || f == "pushed" || f == "drove" || f == "driven" || f == "driving" {
			d.forcedOut(s, t)
		}
		if f == "providing" || f == "provided" || f == "provides" || f == "provide" || f == "giving" || f == "gave" ||
			f == "offered" || f == "offering" || f == "extended" || f == "extending" {
			d.providing(s, t)
			continue
		}
		for _, tr := range relTriggers[f] {
			d.applyTrigger(s, t, tr)
		}
	}
}

func (d *doc) applyTrigger(s *sent, t int, tr relTrigger) {
	rule := "trigger." + string(tr.pred)
	// "the fighting between the Houthis and the Saudi-led coalition",
	// "a truce between Islamabad and the TTP": a symmetric tie between
	// the two sides.
	if tr.pred.Symmetric() && s.fold(t+1) == "between" {
		if sides := d.objectsRight(s, t+2); len(sides) == 2 {
			d.addRel(s, sides[0], sides[1], tr.pred, t, rule+".between", "", "")
		}
		return
	}
	// Passive: "was attacked by X", "backed by Iran".
	if tr.preps == nil && !tr.noun {
		k := t + 1
		for k < s.n() && strings.HasSuffix(s.fold(k), "ly") && s.at[k] < 0 {
			k++
		}
		if s.fold(k) == "by" {
			agents := d.objectsRight(s, k+1)
			if tr.pred == faultline.Leads && len(agents) > 0 && agents[0].typ == faultline.Person {
				if c, ok := d.regimeBefore(s, t); ok {
					d.addRel(s, agents[0], c, faultline.Leads, t, rule+".regime", "", "")
					return
				}
			}
			patient, ok := d.subjectLeft(s, t, false)
			// "the Hezb-e-Islami faction led by Yunus Khalis": a
			// participle right after a noun phrase modifies it, whatever
			// preposition that phrase sits in.
			if !d.passiveBefore(s, t) {
				if m, near := d.nounPhraseBefore(s, t); near {
					patient, ok = m, true
				}
			}
			if !ok || len(agents) == 0 {
				return
			}
			for _, a := range agents {
				for _, p := range d.listLeft(s, patient) {
					d.addRel(s, a, p, d.predFor(tr.pred, a), t, rule+".passive", "", tr.kind)
				}
			}
			return
		}
		if d.passiveBefore(s, t) {
			return // "was attacked" with no agent: nothing to say
		}
	}
	// "its members may be refused entry to the United States": a noun
	// of presence or support that is withheld states no tie.
	if tr.noun && t >= 1 && (withheld[s.fold(t-1)] || t >= 2 && withheld[s.fold(t-2)] && !s.tok(t-1).cap) {
		return
	}
	// "sites in Pakistan that it linked to LeT": the pronoun after
	// "that" is the one who links, not what is linked.
	if !tr.noun && t >= 2 && (s.fold(t-2) == "that" || s.fold(t-2) == "which") && (s.fold(t-1) == "it" || s.fold(t-1) == "they") &&
		(s.fold(t) == "linked" || s.fold(t) == "tied" || s.fold(t) == "connected") {
		return
	}
	start := t + 1
	if tr.preps != nil {
		k, ok := d.prepAfter(s, t, tr.preps)
		if !ok {
			return
		}
		start = k
	}
	objs := d.objectsRight(s, start)
	if len(objs) == 0 {
		// "the two groups have fought each other": a reciprocal tie
		// between the members of a plural subject.
		if (s.fold(start) == "each" && s.fold(start+1) == "other" || s.fold(start) == "one" && s.fold(start+1) == "another") && !tr.noun {
			if m, ok := d.subjectLeft(s, t, false); ok {
				list := d.listLeft(s, m)
				if m.anaphor {
					// "the two have fought each other": the actors "the
					// two" stands for share its tokens.
					list = list[:0]
					for _, x := range s.ms {
						if x.anaphor && x.i == m.i && x.j == m.j {
							list = append(list, x)
						}
					}
				}
				if len(list) >= 2 {
					for a := 0; a < len(list); a++ {
						for b := a + 1; b < len(list); b++ {
							d.addRel(s, list[a], list[b], tr.pred, t, rule+".reciprocal", "", tr.kind)
						}
					}
				}
			}
		}
		return
	}
	var subjs []ment
	if tr.noun {
		// "Pakistan's support for X", "TTP sanctuaries in Y", "ISKP
		// maintains a presence in Y".
		if m, ok := d.nounSubject(s, t); ok {
			subjs = []ment{m}
		}
	} else if d.reducedRelative(s, t) {
		return
	} else if tr.preps != nil {
		if m, ok := d.possessiveBefore(s, t); ok {
			subjs = []ment{m}
		}
	}
	if subjs == nil && !tr.noun {
		if m, ok := d.subjectLeft(s, t, tr.noun); ok {
			subjs = d.listLeft(s, m)
		} else if m, ok := d.subjectAfterComma(s, t); ok {
			subjs = []ment{m}
		}
	}
	// "US and Afghan forces fought it": an object pronoun never stands
	// for its own subject, so a resolution to one of them is wrong.
	for _, o := range objs {
		if o.anaphor && slices.ContainsFunc(subjs, func(m ment) bool { return m.ent == o.ent }) {
			return
		}
	}
	for _, sub := range subjs {
		for _, o := range objs {
			// Allegiance to a person is allegiance to the group he
			// leads, which the text names elsewhere; person to person
			// ties are not in the vocabulary's spirit.
			if sub.typ == faultline.Person && o.typ == faultline.Person {
				continue
			}
			d.addRel(s, sub, o, d.predFor(tr.pred, sub), t, rule, "", tr.kind)
		}
	}
}

// regimeBefore finds the state whose government a participle describes:
// "Mali's junta, led by Colonel Assimi Goita", "the Taliban's
// government, headed by …".
func (d *doc) regimeBefore(s *sent, t int) (ment, bool) {
	k := t - 1
	if k < 1 || !regimeNouns[s.fold(k)] || s.at[k] >= 0 {
		return ment{}, false
	}
	// "Mali's military junta, led by …"
	for k-1 >= 0 && regimeModifiers[s.fold(k-1)] {
		k--
	}
	b := k - 1
	if s.fold(b) == "s" && s.at[b] < 0 {
		b--
	}
	m, ok := s.mentAt(b)
	if !ok || !d.possessive(s, m) || m.typ != faultline.Country && m.typ != faultline.ArmedGroup {
		return ment{}, false
	}
	return m, true
}

// regimeNouns name who governs a state.
var regimeNouns = setOf("junta", "government", "regime", "administration", "leadership", "cabinet")

// regimeModifiers may stand before a regime noun.
var regimeModifiers = setOf("military", "interim", "transitional", "ruling")

// withheld words before a noun trigger deny what it names: "refused
// entry", "no support", "denied sanctuary".
var withheld = setOf("refused", "denied", "barred", "banned", "no", "without", "lacks", "lacked", "lack")

// nounSubject finds who a noun trigger is about: a possessive ("ISKP's
// presence"), a name right before it ("TTP sanctuaries"), or the subject
// of the verb that governs its noun phrase ("ISKP maintains a presence").
func (d *doc) nounSubject(s *sent, t int) (ment, bool) {
	if m, ok := d.possessiveBefore(s, t); ok {
		return m, true
	}
	k := t - 1
	for k >= 0 && k >= t-4 && s.at[k] < 0 && (s.fold(k) == "the" || s.fold(k) == "a" || s.fold(k) == "an" ||
		s.fold(k) == "its" || s.fold(k) == "their" || !preps[s.fold(k)] && !clauseBreaks[s.fold(k)] &&
		!strings.HasSuffix(s.fold(k), "ed") && !passiveAux[s.fold(k)] && !tr(s.fold(k)) && s.fold(k) != "and" &&
		!s.tok(k).cap && !strings.ContainsAny(gap(d.text, s.tok(k), s.tok(k+1)), ",;:")) {
		k--
	}
	if k < 0 {
		return ment{}, false
	}
	if m, ok := s.mentAt(k); ok {
		if isActor(m) && !d.compoundModifier(s, m) && !preps[s.fold(m.i-1)] {
			return m, true
		}
		return ment{}, false
	}
	f := s.fold(k)
	if preps[f] || clauseBreaks[f] || f == "and" || f == "that" || strings.ContainsAny(gap(d.text, s.tok(k), s.tok(k+1)), ",;:") {
		return ment{}, false
	}
	// a governing verb
	return d.subjectLeft(s, k, false)
}

// reducedRelative reports whether a participle trigger modifies the noun
// before it ("entities connected to Pakistan"): its subject is that noun,
// not a name further left.
func (d *doc) reducedRelative(s *sent, t int) bool {
	f := s.fold(t)
	if !strings.HasSuffix(f, "ed") || t == 0 || s.at[t-1] >= 0 {
		return false
	}
	p := s.fold(t - 1)
	if passiveAux[p] || strings.HasSuffix(p, "ly") || p == "and" || p == "or" || p == "not" || p == "also" ||
		p == "has" || p == "have" || p == "had" || p == "which" || p == "who" || p == "that" || preps[p] ||
		clauseBreaks[p] || strings.ContainsAny(gap(d.text, s.tok(t-1), s.tok(t)), ",;:—–") {
		return false
	}
	return true
}

// predFor adjusts a predicate to its subject: a person who "joined" a
// group became a member of it; a person "leading" is the leader.
func (d *doc) predFor(p faultline.Predicate, subj ment) faultline.Predicate {
	if p == faultline.AlliedWith && subj.typ == faultline.Person {
		return faultline.MemberOf
	}
	return p
}

// nounPhraseBefore finds a mention ending right before token t, past at
// most one common noun ("the Hezb-e-Islami faction led by").
func (d *doc) nounPhraseBefore(s *sent, t int) (ment, bool) {
	k := t - 1
	if k >= 0 && s.at[k] < 0 && !preps[s.fold(k)] && !clauseBreaks[s.fold(k)] && !s.tok(k).cap &&
		!strings.ContainsAny(s.gapAfter(d.text, k), ",;:") {
		k--
	}
	if m, ok := s.mentAt(k); ok && !strings.ContainsAny(s.gapAfter(d.text, m.j), ";:") && isActor(m) {
		return m, true
	}
	return ment{}, false
}

// passiveBefore reports a passive auxiliary right before token t.
func (d *doc) passiveBefore(s *sent, t int) bool {
	if strings.HasSuffix(s.fold(t), "ing") {
		return false // "may be arming": progressive, not passive
	}
	for k := t - 1; k >= 0 && k >= t-3; k-- {
		f := s.fold(k)
		if passiveAux[f] {
			return true
		}
		if !strings.HasSuffix(f, "ly") && f != "not" && f != "also" {
			return false
		}
	}
	return false
}

// possessiveBefore finds "X's" right before a noun trigger, past
// adjectives: "Pakistan's alleged use", "ISKP's significant presence".
func (d *doc) possessiveBefore(s *sent, t int) (ment, bool) {
	for k := t - 1; k >= 0 && k >= t-4; k-- {
		if n := s.at[k]; n >= 0 {
			m := s.ms[n]
			if d.possessive(s, m) && d.after(s, m) <= t {
				return m, true
			}
			return ment{}, false
		}
		f := s.fold(k)
		if f == "s" && k > 0 && s.at[k-1] >= 0 {
			continue
		}
		if preps[f] || clauseBreaks[f] || f == "the" || f == "a" || f == "an" || f == "and" {
			return ment{}, false
		}
	}
	return ment{}, false
}

// useOf handles instrumental use: "Iran's use of the Houthis against
// Saudi Arabia", "Iran uses the Houthis as a proxy": the user supports the used
// group, which is hostile to whatever it is used against.
func (d *doc) useOf(s *sent, t int) {
	k := t + 1
	noun := s.fold(k) == "of"
	if noun {
		k++
	}
	objs := d.objectsRight(s, k)
	if len(objs) == 0 {
		return
	}
	o := objs[0]
	if o.typ != faultline.ArmedGroup {
		return
	}
	// Only instrumental use counts: "as a proxy", "against", "to suppress".
	end := o.j + 1
	if d.possessive(s, o) {
		return
	}
	instrumental := false
	var against []ment
	for h := end; h < s.n() && h <= end+4; h++ {
		f := s.fold(h)
		if f == "as" || f == "to" && h == end {
			instrumental = true
		}
		if f == "against" {
			instrumental = true
			against = d.objectsRight(s, h+1)
			break
		}
	}
	if !instrumental {
		return
	}
	var subj ment
	ok := false
	if noun {
		subj, ok = d.possessiveBefore(s, t)
	}
	if !ok {
		subj, ok = d.subjectLeft(s, t, noun)
	}
	if !ok {
		subj, ok = d.subjectAfterComma(s, t)
	}
	if ok {
		d.addRel(s, subj, o, faultline.Supports, t, "trigger.use", "", "proxy")
	}
	for _, a := range against {
		d.addRel(s, o, a, faultline.HostileTo, t, "trigger.use.against", "", "")
	}
}

// helpFrom reads support named by its givers: "help from the Quds Force,
// Lebanon's Hezbollah and Iraqi specialists had turned the Houthis into a
// powerful force". The receiver is the first armed group after the givers
// in the clause, or the clause's subject before the noun ("the Houthis
// received help from Iran").
func (d *doc) helpFrom(s *sent, t int) {
	// The givers: every actor after "from" up to the verb that says what
	// the help did, past the "of" and possessive phrases that describe
	// them ("the Quds Force of Iran's IRGC, Lebanon's Hezbollah and Iraqi
	// specialists had turned …").
	var givers []ment
	k := t + 2
	for ; k < s.n() && k <= t+24; k++ {
		if helpVerbs[s.fold(k)] && s.at[k] < 0 {
			break
		}
		if clauseBreaks[s.fold(k)] || strings.ContainsAny(s.gapAfter(d.text, k-1), ";:") {
			return
		}
		m, ok := s.mentAt(k)
		if !ok {
			continue
		}
		k = m.j
		if !isActor(m) || d.possessive(s, m) || d.demonymAdj(s, m) || d.compoundModifier(s, m) {
			continue
		}
		if len(givers) == 0 || givers[len(givers)-1].ent != m.ent {
			givers = append(givers, m)
		}
	}
	if len(givers) == 0 || k >= s.n() || !helpVerbs[s.fold(k)] {
		return
	}
	var receiver ment
	found := false
	for h := k + 1; h < s.n() && h <= k+8; h++ {
		if m, ok := s.mentAt(h); ok {
			if m.typ == faultline.ArmedGroup && !d.compoundModifier(s, m) {
				receiver, found = m, true
			}
			break
		}
		if clauseBreaks[s.fold(h)] {
			break
		}
	}
	if !found {
		return
	}
	kind := ""
	switch s.fold(t) {
	case "funding":
		kind = "material"
	case "training":
		kind = "training"
	}
	for _, g := range givers {
		d.addRel(s, g, receiver, faultline.Supports, t, "trigger.support.from", "", kind)
	}
}

// helpVerbs say what help did for its receiver: "help from X had turned
// the Houthis into …", "support from Y allowed the group to …".
var helpVerbs = setOf("had", "has", "have", "turned", "helped", "enabled", "allowed", "made", "gave", "boosted",
	"strengthened", "sustained", "kept", "transformed", "reached", "went", "flowed", "let")

// pactNouns name an understanding between two sides.
var pactNouns = setOf("understanding", "truce", "ceasefire", "pact", "alliance", "agreement", "deal", "accord",
	"arrangement", "modus")

// endedPact reads the end of a tie: "signalling the end of the local
// truce" after a declaration of war: the two sides were allied until the sentence's date. The other side
// is named with "with", or is the last one the subject fought.
func (d *doc) endedPact(s *sent, t int) {
	if s.fold(t+1) != "of" {
		return
	}
	h := -1
	for k := t + 2; k < s.n() && k <= t+8; k++ {
		if pactNouns[s.fold(k)] {
			h = k
			break
		}
		if s.at[k] >= 0 || clauseBreaks[s.fold(k)] {
			return
		}
	}
	if h < 0 {
		return
	}
	var subj, other ment
	ok := false
	for n, m := range s.ms {
		if isActor(m) && !s.ms[n].pp && m.typ != faultline.Person {
			subj, ok = m, true
			break
		}
	}
	if !ok {
		return
	}
	if s.fold(h+1) == "with" {
		if objs := d.objectsRight(s, h+2); len(objs) > 0 {
			other = objs[0]
		}
	} else {
		other = d.lastFoe(subj.ent, s.si)
	}
	if other.typ == "" || other.ent == subj.ent {
		return
	}
	before := len(d.rels)
	d.addRel(s, subj, other, faultline.AlliedWith, h, "trigger.allied_with.ended", "", "")
	if len(d.rels) > before {
		r := &d.rels[len(d.rels)-1]
		r.from = ""
		if dt := d.eventDate(s, t); dt.Year != 0 {
			r.to = dt.ISO()
		}
	}
}

// lastFoe is the entity the given one most recently fought, by the
// hostile ties found so far in the two sentences before.
func (d *doc) lastFoe(ent, si int) ment {
	for n := len(d.rels) - 1; n >= 0; n-- {
		r := d.rels[n]
		if si-r.si > 2 || r.pred != faultline.HostileTo {
			continue
		}
		switch ent {
		case r.s:
			return ment{ent: r.o, typ: d.ents[r.o].Type}
		case r.o:
			return ment{ent: r.s, typ: d.ents[r.s].Type}
		}
	}
	return ment{}
}

// allowing handles tacit support: "allowing the TTP to operate".
func (d *doc) allowing(s *sent, t int) {
	objs := d.objectsRight(s, t+1)
	if len(objs) == 0 {
		return
	}
	o := objs[len(objs)-1]
	if s.fold(o.j+1) != "to" {
		return
	}
	switch s.fold(o.j + 2) {
	case "operate", "function", "regroup", "organise", "organize", "recruit", "train", "flourish", "thrive",
		"exist", "shelter", "hide", "settle", "establish", "expand", "persist", "use", "move", "cross", "plan",
		"raise", "fundraise", "open", "run", "return":
	default:
		return
	}
	subj, ok := d.subjectLeft(s, t, false)
	if !ok {
		subj, ok = d.subjectAfterComma(s, t)
	}
	if !ok {
		return
	}
	for _, o := range objs {
		d.addRel(s, subj, o, faultline.Supports, t, "trigger.allow", "", "tacit")
	}
}

// forcedOut handles expulsion: "forced ISKP out of Afghanistan".
func (d *doc) forcedOut(s *sent, t int) {
	// "was forced out of Swat by the Pakistan Army"
	if d.passiveBefore(s, t) && (s.fold(t+1) == "out" || s.fold(t+1) == "back" || s.fold(t+1) == "from") {
		patient, ok := d.subjectLeft(s, t, false)
		if !ok {
			return
		}
		for k := t + 2; k < s.n() && k <= t+10; k++ {
			if s.fold(k) == "by" && s.at[k] < 0 {
				for _, a := range d.objectsRight(s, k+1) {
					d.addRel(s, a, patient, faultline.HostileTo, t, "trigger.forced.passive", "", "")
				}
				return
			}
			if clauseBreaks[s.fold(k)] {
				return
			}
		}
		return
	}
	objs := d.objectsRight(s, t+1)
	if len(objs) == 0 {
		return
	}
	last := objs[len(objs)-1]
	if f := s.fold(last.j + 1); f != "out" && f != "from" && f != "back" && f != "into" {
		return
	}
	subj, ok := d.subjectLeft(s, t, false)
	if !ok {
		return
	}
	for _, o := range objs {
		d.addRel(s, subj, o, faultline.HostileTo, t, "trigger.forced", "", "")
	}
}

// supportNouns are what one actor provides another.
var supportNouns = map[string]string{
	"intelligence": "intelligence", "weapons": "material", "arms": "material", "money": "material",
	"funds": "material", "funding": "material", "financing": "material", "training": "training",
	"sanctuary": "sanctuary", "shelter": "sanctuary", "safe": "sanctuary", "haven": "sanctuary",
	"havens": "sanctuary", "refuge": "sanctuary", "protection": "protection", "support": "",
	"logistics": "material", "logistical": "material", "equipment": "material", "ammunition": "material",
	"explosives": "material", "drones": "material", "missiles": "material", "rockets": "material",
	"backing": "", "assistance": "", "aid": "", "cover": "protection", "sanctuaries": "sanctuary",
	"financial": "material", "military": "material", "material": "material", "technical": "material",
	"diplomatic": "diplomatic", "political": "diplomatic", "bases": "sanctuary", "passports": "material",
}

// providing handles "providing money, arms and training to X".
func (d *doc) providing(s *sent, t int) {
	kind, ok := "", false
	k := t + 1
	for ; k < s.n() && k <= t+12; k++ {
		if s.at[k] >= 0 {
			return
		}
		f := s.fold(k)
		if v, hit := supportNouns[f]; hit {
			ok = true
			if kind == "" {
				kind = v
			}
			continue
		}
		if f == "to" || f == "for" {
			break
		}
		if clauseBreaks[f] || preps[f] {
			return
		}
	}
	if !ok || (s.fold(k) != "to" && s.fold(k) != "for") {
		return
	}
	objs := d.objectsRight(s, k+1)
	subj, found := d.subjectLeft(s, t, false)
	if !found {
		subj, found = d.subjectAfterComma(s, t)
	}
	if !found {
		return
	}
	for _, o := range objs {
		d.addRel(s, subj, o, faultline.Supports, t, "trigger.provide", "", kind)
	}
}

// relocation handles a move of base: "moved its headquarters from Raqqa
// to Idlib", "fled to Pakistan".
func (d *doc) relocation(s *sent, t int) {
	k, ok := d.prepAfterFar(s, t, "to", 8)
	if !ok {
		return
	}
	objs := d.objectsRight(s, k)
	subj, found := d.subjectLeft(s, t, false)
	if !found || len(objs) == 0 {
		return
	}
	for _, o := range objs {
		d.addRel(s, subj, o, faultline.BasedIn, t, "trigger.relocation", "", "")
	}
}

// prepAfterFar finds the preposition want within reach tokens after t, past
// a "from X" phrase, stopping at a clause break.
func (d *doc) prepAfterFar(s *sent, t int, want string, reach int) (int, bool) {
	for k := t + 1; k < s.n() && k <= t+reach; k++ {
		f := s.fold(k)
		if f == want && s.at[k] < 0 {
			return k + 1, true
		}
		if clauseBreaks[f] || f == "that" {
			return 0, false
		}
	}
	return 0, false
}

// withSupport reads support named as the manner of an act: "carried out
// both attacks with ISI support", "regrouped with the backing of the
// army". The supporter comes before the noun or after its "of"; the
// supported is the clause's subject.
func (d *doc) withSupport(s *sent, t int) bool {
	var sup ment
	var with int
	switch {
	case t >= 2 && s.fold(t-2) == "with" && s.at[t-1] >= 0:
		sup, _ = s.mentAt(t - 1)
		with = t - 2
	case t >= 2 && s.fold(t-1) == "the" && s.fold(t-2) == "with" && s.fold(t+1) == "of":
		objs := d.objectsRight(s, t+2)
		if len(objs) == 0 {
			return false
		}
		sup, with = objs[0], t-2
	default:
		return false
	}
	if !sup.typ.IsActor() || sup.typ == faultline.Person && s.fold(t) != "blessing" {
		return false
	}
	subj, ok := d.subjectLeft(s, with, false)
	if !ok || subj.ent == sup.ent {
		return false
	}
	d.addRel(s, sup, subj, faultline.Supports, t, "supports.with-support", "", "")
	return true
}

// instrumentOf reads "the network operated as an instrument of the ISI",
// "LeT acts as a proxy of the army": the one of whom it is the
// instrument supports it, as a proxy.
func (d *doc) instrumentOf(s *sent, t int) bool {
	if s.fold(t+1) != "of" || t < 2 {
		return false
	}
	as := t - 1
	if f := s.fold(as); f == "a" || f == "an" || f == "the" {
		as--
	}
	for as > 0 && (s.fold(as) == "mere" || s.fold(as) == "key" || s.fold(as) == "useful" || s.fold(as) == "willing") {
		as--
	}
	if s.fold(as) != "as" {
		return false
	}
	objs := d.objectsRight(s, t+2)
	if len(objs) == 0 || !objs[0].typ.IsActor() {
		return false
	}
	subj, ok := d.subjectLeft(s, as, false)
	if !ok || subj.ent == objs[0].ent || subj.typ == faultline.Country || subj.typ == faultline.Location {
		return false
	}
	d.addRel(s, objs[0], subj, faultline.Supports, t, "supports.instrument-of", "", "proxy")
	return true
}

// operatesFrom reads where a group fights from: "a militant group that
// fights the Islamic Republic from the borderlands of Balochistan and
// Sistan and Baluchestan", "the TTP operates from Afghan soil".
func (d *doc) operatesFrom(s *sent, t int) {
	k := -1
	for h := t + 1; h < s.n() && h <= t+8; h++ {
		f := s.fold(h)
		if f == "from" {
			k = h + 1
			break
		}
		if clauseBreaks[f] || f == "to" || strings.ContainsAny(s.gapAfter(d.text, h-1), ";:(") {
			return
		}
	}
	if k < 0 {
		return
	}
	// "from the borderlands of", "from bases in", "from Afghan soil"
	h := k
	if s.fold(h) == "the" || s.fold(h) == "its" || s.fold(h) == "their" {
		h++
	}
	for n := 0; n < 2 && h < s.n() && s.at[h] < 0 && groundNouns[s.fold(h)] == false && !s.tok(h).cap; n++ {
		h++ // "safe havens", "remote mountain hideouts"
	}
	if groundNouns[s.fold(h)] {
		if f := s.fold(h + 1); f != "of" && f != "in" && f != "inside" && f != "across" {
			return
		}
		k = h + 2
	} else if h != k {
		return
	}
	subj, ok := d.subjectLeft(s, t, false)
	if !ok || subj.typ != faultline.ArmedGroup {
		return
	}
	for _, m := range d.objectsRight(s, k) {
		if isPlace(m) {
			d.addRel(s, subj, m, faultline.BasedIn, t, "based_in.operates-from", "", "")
		}
	}
}

// operateVerbs say a group fights or strikes from somewhere.
var operateVerbs = setOf("fights", "fight", "fought", "fighting", "operates", "operate", "operated", "operating",
	"wages", "waged", "waging", "launches", "launched", "launching", "mounts", "mounted", "stages", "staged", "plots", "plotted")

// groundNouns name the ground a group works from: "the borderlands of",
// "bases in", "sanctuaries across".
var groundNouns = setOf("borderlands", "borderland", "border", "mountains", "hills", "bases", "base", "hideouts",
	"sanctuaries", "sanctuary", "havens", "haven", "territory", "soil", "areas", "region", "regions", "camps", "strongholds")

// tookCommand reads a leader taking charge without naming what he leads:
// "X took command in June 2018, after his predecessor, Y, was killed".
// What he took command of is the armed group the text is about at that
// point (the antecedent a "the group" there would have), and a
// predecessor or successor named in the sentence led it too.
func (d *doc) tookCommand(s *sent) {
	for t := 1; t < s.n(); t++ {
		if f := s.fold(t); f != "command" && f != "leadership" && f != "helm" && f != "reins" {
			continue
		}
		// "took the helm", "had taken over day-to-day command"
		v := t - 1
		for v > 0 && v >= t-5 && commandModifiers[s.fold(v)] && s.at[v] < 0 {
			v--
		}
		if v < 0 || !takeVerbs[s.fold(v)] || s.at[t] >= 0 {
			continue
		}
		if f := s.fold(t + 1); f == "of" || f == "over" || t+1 < s.n() && s.at[t+1] >= 0 {
			continue // "took command of the TTP": the trigger rules' case
		}
		subj, ok := d.subjectLeft(s, v, false)
		if !ok || subj.typ != faultline.Person {
			continue
		}
		group, ok := d.antecedent(s, subj.i, d.ss[max(0, s.si-3):s.si], armedOnly)
		if !ok || group.typ != faultline.ArmedGroup {
			continue
		}
		group.i, group.j = t, t
		d.addRel(s, subj, group, faultline.Leads, t, "leads.took-command", "", "")
	}
}

// predecessors reads "X … since 2018, when his predecessor Y was killed":
// a leader's predecessor or successor named in the sentence that says
// whom he leads led the same group.
func (d *doc) predecessors(s *sent, from int) {
	for _, r := range d.rels[from:] {
		if r.pred != faultline.Leads || r.si != s.si || d.ents[r.s].Type != faultline.Person {
			continue
		}
		for h := 1; h+1 < s.n(); h++ {
			f := s.fold(h)
			if f != "predecessor" && f != "successor" && f != "predecessors" || s.at[h] >= 0 {
				continue
			}
			// "his predecessor": his must be the leader's.
			if p := s.fold(h - 1); p != "his" && p != "her" {
				continue
			}
			if g := strings.TrimSpace(s.gapAfter(d.text, h)); g != "" && g != "," {
				continue
			}
			m, ok := s.mentAt(h + 1)
			if !ok || m.typ != faultline.Person || m.ent == r.s || m.ent == r.o {
				continue
			}
			d.addRelNP(s, m, ment{i: h, j: h, ent: r.o, typ: d.ents[r.o].Type}, faultline.Leads, h, "leads.predecessor", "", "")
		}
		return
	}
}

// commandModifiers may stand between a take verb and "command".
var commandModifiers = setOf("the", "over", "overall", "day", "to", "operational", "military", "effective", "full", "sole", "its")

// takeVerbs take charge: "took command", "assumed the leadership".
var takeVerbs = setOf("took", "take", "takes", "taking", "taken", "assumed", "assume", "assumes", "assuming")

// roleRelations finds posts: "TTP commander Noor Wali Mehsud", "the Iranian
// Foreign Minister, X", "the chairman of the ANP, X", "Ayesha Siddiqa of
// SOAS", "X is a senior fellow at RUSI", "Godane … one of al-Qaeda's
// senior operatives".
func (d *doc) roleRelations(s *sent) {
	for _, p := range s.ms {
		if p.typ != faultline.Person {
			continue
		}
		d.roleBeforePerson(s, p)
		d.roleAfterPerson(s, p)
		d.titleState(s, p)
	}
}

// roleSpan reads role words ending at token e, going left; it returns the
// first token of the role and whether the head is a role noun.
func (d *doc) roleSpanLeft(s *sent, e int) (int, bool) {
	if e < 0 || s.at[e] >= 0 || !memberNouns[s.fold(e)] {
		return 0, false
	}
	b := e
	for b-1 >= 0 && s.at[b-1] < 0 && (roleModifiers[s.fold(b-1)] || memberNouns[s.fold(b-1)]) &&
		!strings.ContainsAny(gap(d.text, s.tok(b-1), s.tok(b)), ",;:") {
		b--
	}
	return b, true
}

// roleHead finds the role noun that ends a post named from token a: up
// to three describing words, then a role noun ("acting interior minister",
// "deputy leaders"). It returns the role noun's token.
func (d *doc) roleHead(s *sent, a int) (int, bool) {
	head := -1
	for e := a; e < s.n() && e <= a+4; e++ {
		f := s.fold(e)
		if s.at[e] >= 0 || preps[f] || clauseBreaks[f] || f == "and" || f == "that" ||
			e > a && strings.ContainsAny(s.gapAfter(d.text, e-1), ",;:()") {
			break
		}
		if memberNouns[f] {
			head = e
			// "deputy leader" and "chief commander" keep going; "leader
			// Ayman al-Zawahiri" stops at the name.
			continue
		}
		if head >= 0 {
			break
		}
	}
	return head, head >= 0
}

func (d *doc) roleText(s *sent, b, e int) string {
	for b < e && roleAdjectives[s.fold(b)] {
		b++
	}
	text := cleanName(d.text[s.tok(b).s:s.tok(e).e])
	// "one of Al Qaeda's operatives" holds the post of operative.
	if f := s.fold(e); strings.HasSuffix(f, "s") && memberNouns[strings.TrimSuffix(f, "s")] {
		text = strings.TrimSuffix(text, "s")
	}
	return text
}

// roleAdjectives describe a person rather than name a post.
var roleAdjectives = setOf("most", "dangerous", "powerful", "influential", "notorious", "key", "prominent", "one",
	"wanted", "main", "high", "ranking", "mid", "level", "late", "then", "current", "new")

func (d *doc) rolePred(s *sent, head int, org ment) faultline.Predicate {
	if leaderNouns[s.fold(head)] && org.typ != faultline.Country && s.fold(head-1) != "deputy" && s.fold(head-1) != "vice" {
		return faultline.Leads
	}
	return faultline.MemberOf
}

func (d *doc) roleBeforePerson(s *sent, p ment) {
	e := p.i - 1
	if e < 0 {
		return
	}
	g := gap(d.text, s.tok(e), s.tok(p.i))
	if strings.ContainsAny(g, ";:(") {
		return
	}
	// "the chairman of the ANP, X": a mention, then "of".
	if strings.Contains(g, ",") {
		if org, ok := s.mentAt(e); ok && org.typ.IsActor() && org.typ != faultline.Person {
			k := org.i - 1
			for k >= 0 {
				if m, ok := s.mentAt(k); ok && m.ent == org.ent {
					k = m.i - 1
					continue
				}
				break
			}
			if s.fold(k) == "the" {
				k--
			}
			if f := s.fold(k); f == "of" || f == "at" || f == "for" {
				if b, ok := d.roleSpanLeft(s, k-1); ok {
					d.addRelNP(s, p, org, d.rolePred(s, k-1, org), k-1, "role.of-apposition", d.roleText(s, b, k-1), "")
				}
			}
			return
		}
	}
	// "TTP commander Noor Wali Mehsud", "the group's spokesman, X".
	b, ok := d.roleSpanLeft(s, e)
	if !ok {
		return
	}
	defer func() {
		// "President Vladimir Putin and other Russian officials": a state
		// title with no organisation before it takes the country the
		// sentence names right after the person.
		if !ok && stateTitles[s.fold(e)] && !d.stateOfTitle(s, p, b, e) {
			d.stateFromContext(s, p, b, e)
		}
	}()
	if b >= 2 && s.fold(b-1) == "s" && s.at[b-1] < 0 {
		b-- // "The network's founder, X": the possessive's "s"
	}
	org, found := s.mentAt(b - 1)
	if !found || org.typ == faultline.Person || org.typ == faultline.Location {
		ok = false
		return
	}
	if g := gap(d.text, s.tok(org.j), s.tok(b)); strings.ContainsAny(g, ",;:") {
		return
	}
	if s.fold(b) == "s" && s.at[b] < 0 {
		b++
	}
	if d.possessive(s, org) && d.after(s, org) != b {
		return
	}
	d.addRelNP(s, p, org, d.rolePred(s, e, org), e, "role.before-name", d.roleText(s, b, e), "")
}

// stateTitles are posts held in a state's government.
var stateTitles = setOf("president", "minister", "premier", "secretary", "ambassador", "envoy", "chancellor",
	"governor", "senator", "spokesman", "spokesperson", "general", "chief")

// stateOfTitle links a person with a state title to the country the
// sentence names right after him: "President Vladimir Putin and other
// Russian officials". It reports whether the words after the person
// settle the question: a country, or "his Iranian counterpart" (someone
// else's country, so the person's is not to be guessed).
func (d *doc) stateOfTitle(s *sent, p ment, b, e int) bool {
	for h := p.j + 1; h < s.n() && h <= p.j+8; h++ {
		if m, ok := s.mentAt(h); ok {
			if f := s.fold(m.i - 1); f == "his" || f == "her" || f == "their" || f == "its" ||
				strings.HasPrefix(s.fold(m.j+1), "counterpart") {
				return true
			}
			if m.typ == faultline.Country {
				d.addRelNP(s, p, m, faultline.MemberOf, e, "role.state-title", d.roleText(s, b, e), "")
				return true
			}
			if m.typ != faultline.Person {
				return false
			}
			h = m.j
		}
		if clauseBreaks[s.fold(h)] || strings.ContainsAny(s.gapAfter(d.text, h), ";:") {
			return false
		}
	}
	return false
}

// governmentTitles are the state titles that name a post in a national
// government: their holder, named without a country, is an official of
// the state the text is talking about. Secretaries, governors, generals
// and spokesmen are left out: they as often serve an organisation, a
// province or a group.
var governmentTitles = setOf("president", "minister", "premier", "chancellor")

// stateFromContext links a person whose government title names no
// country ("Interior Minister X condemned the attackers") to the state the
// context is about: the nearest country named earlier in the sentence
// ("the US listed the group and, under President X, …"), else in the
// sentence before, within the paragraph ("Islamabad rejected the charge.
// Foreign Minister X warned …"), else the country the document is plainly
// about. A demonym ("according to Iranian officials") or a country after
// a preposition ("strikes in Yemen") says where things happened or who
// spoke, not whose official this is, so neither counts.
func (d *doc) stateFromContext(s *sent, p ment, b, e int) {
	if !governmentTitles[s.fold(e)] || b > 0 && s.at[b-1] >= 0 {
		return
	}
	state := func(ps *sent, before int) int {
		for n := len(ps.ms) - 1; n >= 0; n-- {
			m := ps.ms[n]
			if m.j < before && m.typ == faultline.Country && !ps.ms[n].pp && !d.isDemonymMention(ps, m) {
				return m.ent
			}
		}
		return -1
	}
	c := state(s, b)
	if c < 0 && s.si > 0 && d.ss != nil {
		if ps := d.ss[s.si-1]; !strings.Contains(d.text[ps.st.e:s.st.s], "\n") {
			c = state(ps, ps.n())
		}
	}
	if c < 0 {
		c = d.mainCountry()
	}
	if c < 0 {
		return
	}
	d.addRelNP(s, p, ment{i: b, j: b, ent: c, typ: faultline.Country}, faultline.MemberOf, e, "role.state-title-context", d.roleText(s, b, e), "")
}

// mainCountry returns the country a document is plainly about: the one
// named most often, counting the mentions of places inside it (a report on
// the siege of a train in Balochistan is about Pakistan even where it
// quotes Washington), at least four times and twice as often as any other;
// else -1.
func (d *doc) mainCountry() int {
	if d.main != 0 {
		return d.main - 1
	}
	score := map[int]int{}
	for i, e := range d.ents {
		switch e.Type {
		case faultline.Country:
			score[i] += len(e.Mentions)
		case faultline.Location:
			if _, c := d.enclosing(i); c >= 0 {
				score[c] += len(e.Mentions)
			}
		}
	}
	best, first, second := -1, 0, 0
	for i, n := range score {
		switch {
		case n > first || n == first && i < best:
			if n > first {
				second = first
			}
			best, first = i, n
		case n > second:
			second = n
		}
	}
	if first < 4 || first < 2*second {
		best = -1
	}
	d.main = best + 1
	return best
}

// titleStates are titles that belong to one state's government: "Secretary
// of State Hillary Clinton" is an American official unless a country
// is named before the title.
var titleStates = map[string]string{
	"secretary of state": "US", "secretary of defense": "US", "defense secretary": "US",
	"secretary of the treasury": "US", "treasury secretary": "US", "secretary of homeland security": "US",
}

// titleState links a person to the state a title belongs to
// (titleStates), or to the country named just before the title ("US
// Secretary of State X").
func (d *doc) titleState(s *sent, p ment) {
	for _, n := range []int{4, 3, 2} {
		b := p.i - n
		if b < 0 || s.at[b] >= 0 {
			continue
		}
		words := make([]string, 0, n)
		for k := b; k < p.i; k++ {
			words = append(words, s.fold(k))
		}
		code, ok := titleStates[strings.Join(words, " ")]
		if !ok || strings.ContainsAny(gap(d.text, s.tok(b), s.tok(p.i-1)), ",;:()") {
			continue
		}
		c := -1
		if m, ok := s.mentAt(b - 1); ok {
			if m.typ != faultline.Country {
				return // "Georgia Secretary of State X": a state of a union
			}
			c = m.ent
		} else if i, ok := d.entByKey()[countryKey(code)]; ok {
			c = i
		}
		if c >= 0 {
			d.addRelNP(s, p, ment{i: b, j: b, ent: c, typ: faultline.Country}, faultline.MemberOf, p.i-1, "role.title-state", d.roleText(s, b, p.i-1), "")
		}
		return
	}
}

func (d *doc) roleAfterPerson(s *sent, p ment) {
	k := p.j + 1
	if k >= s.n() {
		return
	}
	g := gap(d.text, s.tok(p.j), s.tok(k))
	// "Ayesha Siddiqa of SOAS"
	if strings.TrimSpace(g) == "" && s.fold(k) == "of" {
		h := k + 1
		if s.fold(h) == "the" {
			h++
		}
		if org, ok := s.mentAt(h); ok && org.i == h && org.typ != faultline.Person && org.typ != faultline.Location &&
			org.typ != faultline.Country && !d.possessive(s, org) {
			d.addRelNP(s, p, org, faultline.MemberOf, k, "role.of", "", "")
		}
		return
	}
	// "X, a senior commander of Y", "X is a Research Associate at Y", "X,
	// the group's spokesman".
	appos := strings.ContainsAny(g, ",—–") || s.fold(k) == "is" || s.fold(k) == "was" || s.fold(k) == "became" ||
		s.fold(k) == "as" || s.fold(k) == "serves" || s.fold(k) == "served"
	if !appos {
		return
	}
	for h := k; h < s.n() && h <= k+18; h++ {
		if m, ok := s.mentAt(h); ok {
			if m.typ == faultline.Person {
				return
			}
			if d.possessive(s, m) {
				// "… one of Al Qaeda's most dangerous operatives", "the
				// Taliban's refugees minister", "one of the group's
				// propagandists"
				a := d.after(s, m)
				if e, ok := d.roleHead(s, a); ok {
					d.addRelNP(s, p, m, d.rolePred(s, e, m), e, "role.possessive", d.roleText(s, a, e), "")
				} else if s.fold(m.i-1) == "of" && s.fold(m.i-2) == "one" && a < s.n() && s.at[a] < 0 && !s.tok(a).cap {
					if m.typ != faultline.Country {
						d.addRelNP(s, p, m, faultline.MemberOf, a, "role.one-of", d.roleText(s, a, a), "")
					}
				}
				return
			}
			h = m.j
			continue
		}
		f := s.fold(h)
		if memberNouns[f] {
			b, _ := d.roleSpanLeft(s, h)
			// "X, a former TTP commander": the organisation names the post.
			if org, ok := s.mentAt(b - 1); ok && org.typ != faultline.Person && isActor(org) && !d.possessive(s, org) &&
				strings.TrimSpace(s.gapAfter(d.text, org.j)) == "" {
				e := h
				for e+1 < s.n() && s.at[e+1] < 0 && memberNouns[s.fold(e+1)] {
					e++
				}
				d.addRelNP(s, p, org, d.rolePred(s, e, org), e, "role.apposition", d.roleText(s, b, e), "")
				return
			}
			// role words then "of|at|with|in" and the organisation
			e := h
			for e+1 < s.n() && s.at[e+1] < 0 && memberNouns[s.fold(e+1)] {
				e++
			}
			prep := s.fold(e + 1)
			if prep != "of" && prep != "at" && prep != "with" && prep != "in" && prep != "for" {
				continue
			}
			o := e + 2
			if s.fold(o) == "the" {
				o++
			}
			if org, ok := s.mentAt(o); ok && org.typ != faultline.Person && org.typ != faultline.Location {
				if prep == "in" && org.typ != faultline.GovernmentBody {
					return
				}
				d.addRelNP(s, p, org, d.rolePred(s, e, org), e, "role.apposition", d.roleText(s, b, e), "")
			}
			return
		}
		if clauseBreaks[f] && f != "who" && f != "whom" || h+1 < s.n() && strings.ContainsAny(gap(d.text, s.tok(h), s.tok(h+1)), ";:") {
			return
		}
		// A verb of its own ends the description: "X, admitted that …".
		compound := h > 0 && gap(d.text, s.tok(h-1), s.tok(h)) == "-"
		if !compound && (speechVerbs[f] || f == "that" || f == "and" || relTriggers[f] != nil && !memberNouns[f] || evTriggers[f].verb) {
			return
		}
	}
}

// partRelations finds parts of organisations and states: "the group's
// news agency Amaq", "al-Shabaab, … al-Qaeda's East African affiliate",
// "ISKP, the Khorasan branch of the Islamic State", "the intelligence
// ministry of Iran, the MOIS", "Pakistan's ISI", "the Pakistan Army".
func (d *doc) partRelations(s *sent) {
	for _, x := range s.ms {
		if !isActor(x) {
			continue
		}
		// "His faction, known as ISIS-Somalia": the person leads it.
		if x.typ == faultline.Person && d.possessive(s, x) {
			a := d.after(s, x)
			if groupNouns[s.fold(a)] || s.fold(a) == "faction" || s.fold(a) == "splinter" {
				k := a + 1
				for k < s.n() && k <= a+4 && s.at[k] < 0 && aliasWords[s.fold(k)] {
					k++
				}
				if y, ok := s.mentAt(k); ok && y.i == k && k > a+1 && y.typ == faultline.ArmedGroup {
					d.addRelNP(s, x, y, faultline.Leads, a, "role.his-group", "", "")
				}
			}
			continue
		}
		if d.possessive(s, x) {
			a := d.after(s, x)
			e := a
			for e < s.n() && e < a+4 && s.at[e] < 0 && !s.tok(e).cap && !preps[s.fold(e)] && !clauseBreaks[s.fold(e)] &&
				s.fold(e) != "and" && !strings.ContainsAny(s.gapAfter(d.text, e-1), ",;:") || e < s.n() && partNouns[s.fold(e)] && e == a {
				if partNouns[s.fold(e)] && !partNouns[s.fold(e+1)] && !roleModifiers[s.fold(e+1)] {
					e++
					break
				}
				e++
			}
			if h, ok := d.roleHead(s, a); ok && !partNouns[s.fold(h)] {
				// "he has been one of the Taliban's deputy leaders",
				// "served as the Taliban's acting interior minister"
				if p, ok := d.copulaSubject(s, x.i); ok {
					d.addRelNP(s, p, x, d.rolePred(s, h, x), h, "role.copula", d.roleText(s, a, h), "")
				}
				continue
			}
			if e > a && partNouns[s.fold(e-1)] {
				// forward: "the group's news agency Amaq", "Al-Shabaab's
				// internal security service, the Amniyat"
				f := e
				if strings.TrimSpace(s.gapAfter(d.text, e-1)) == "," {
					if s.fold(f) == "the" {
						f++
					}
				}
				if y, ok := s.mentAt(f); ok && y.i == f && y.typ != faultline.Person && isActor(y) {
					d.addRelNP(s, y, x, faultline.PartOf, e-1, "part.possessive", "", "")
					continue
				}
				// backward: "al-Shabaab, long seen … as al-Qaeda's affiliate"
				if y, ok := d.apposedBefore(s, x.i); ok {
					d.addRelNP(s, y, x, faultline.PartOf, e-1, "part.apposition", "", "")
				}
				continue
			}
			// "Pakistan's ISI", "Lebanon's Hezbollah"
			if y, ok := s.mentAt(a); ok && y.i == a && x.typ == faultline.Country {
				switch y.typ {
				case faultline.GovernmentBody:
					d.addRelNP(s, y, x, faultline.PartOf, a, "part.state-possessive", "", "")
				case faultline.ArmedGroup, faultline.PoliticalParty:
					d.addRelNP(s, y, x, faultline.BasedIn, a, "place.country-possessive", "", "")
				}
			}
			continue
		}
		// "X, a branch of Y", "X, the intelligence agency of Y"
		d.partOfPhrase(s, x)
		d.originPhrase(s, x)
	}
	// A state's own bodies named after it: "Pakistan Army", "Iranian
	// Revolutionary Guard Corps".
	for _, g := range s.ms {
		if g.typ != faultline.GovernmentBody || g.anaphor {
			continue
		}
		if c, ok := d.countryInName(s, g); ok {
			d.addRelNP(s, g, c, faultline.PartOf, g.i, "part.state-name", "", "")
		}
	}
	// "the intelligence ministry of Iran, the MOIS"
	for _, c := range s.ms {
		if c.typ != faultline.Country || s.fold(c.i-1) != "of" {
			continue
		}
		if !strings.Contains(s.gapAfter(d.text, c.j), ",") {
			continue
		}
		head := s.fold(c.i - 2)
		if !stateBodyNouns[head] {
			continue
		}
		if g, ok := s.mentAt(c.j + 1); ok && g.typ == faultline.GovernmentBody {
			d.addRelNP(s, g, c, faultline.PartOf, c.i-2, "part.state-apposition", "", "")
		}
	}
}

// copulas link a subject to a description of it.
var copulas = setOf("is", "was", "are", "were", "been", "be", "became", "become", "becoming", "remains",
	"remained", "served", "serves", "serving", "named", "appointed", "elected", "made", "installed")

// copulaSubject finds the person a description starting at token k is
// about: "[P] has been one of …", "[P] served as …", "[P] was named …".
func (d *doc) copulaSubject(s *sent, k int) (ment, bool) {
	h := k - 1
	for h >= 0 && h >= k-5 && s.at[h] < 0 {
		f := s.fold(h)
		if copulas[f] {
			if m, ok := d.subjectLeft(s, h, false); ok && m.typ == faultline.Person {
				return m, true
			}
			return ment{}, false
		}
		if f != "the" && f != "a" && f != "an" && f != "one" && f != "of" && f != "as" && f != "later" &&
			f != "also" && f != "then" && f != "briefly" && f != "formerly" {
			return ment{}, false
		}
		h--
	}
	return ment{}, false
}

// stateBodyNouns are what a state's bodies are called: "the intelligence
// agency of Pakistan".
var stateBodyNouns = setOf("agency", "service", "services", "ministry", "army", "military", "police", "directorate",
	"apparatus", "arm", "wing", "forces", "force", "navy", "guard", "corps", "department", "establishment",
	"intelligence", "government", "parliament", "court", "office")

// apposedBefore finds the mention a description after it refers to: the
// nearest organisation before token k separated from it by a comma, a dash
// or "as" ("al-Shabaab, long seen … as").
func (d *doc) apposedBefore(s *sent, k int) (ment, bool) {
	sawLink := false
	for h := k - 1; h >= 0 && h >= k-12; h-- {
		if h+1 < s.n() && strings.ContainsAny(gap(d.text, s.tok(h), s.tok(h+1)), ",—–") {
			sawLink = true
		}
		if m, ok := s.mentAt(h); ok {
			if m.typ == faultline.Person || !isActor(m) {
				return ment{}, false
			}
			if sawLink {
				return m, true
			}
			return ment{}, false
		}
		f := s.fold(h)
		if f == "as" || f == "is" || f == "was" || f == "remains" || f == "became" {
			sawLink = true
		}
		if clauseBreaks[f] || f == "that" {
			return ment{}, false
		}
	}
	return ment{}, false
}

// groupNouns describe an armed group in an apposition.
var groupNouns = setOf("group", "movement", "organization", "organisation", "militia", "faction", "network", "splinter",
	"outfit", "insurgency", "force", "army", "rebels", "party")

// originPhrase handles "X, a Zaydi Shia movement from Saada in northern
// Yemen" and "X, a Sunni Baloch militant group based in Y": the
// description places the group.
func (d *doc) originPhrase(s *sent, x ment) {
	k := x.j + 1
	if k >= s.n() || !strings.ContainsAny(s.gapAfter(d.text, x.j), ",—–") || x.typ != faultline.ArmedGroup && x.typ != faultline.PoliticalParty {
		return
	}
	if f := s.fold(k); f != "a" && f != "an" && f != "the" {
		return
	}
	for h := k + 1; h < s.n() && h <= k+7; h++ {
		if s.at[h] >= 0 || clauseBreaks[s.fold(h)] {
			return
		}
		if !groupNouns[s.fold(h)] {
			continue
		}
		p := h + 1
		if s.fold(p) == "based" || s.fold(p) == "headquartered" {
			p++
		}
		if f := s.fold(p); f != "from" && f != "in" {
			return
		}
		objs := d.objectsRight(s, p+1)
		if len(objs) > 0 && isPlace(objs[0]) {
			d.addRelNP(s, x, objs[0], faultline.BasedIn, h, "place.origin", "", "")
			// "from Saada in northern Yemen": the wider place too.
			if rest := d.objectsRight(s, objs[0].j+2); s.fold(objs[0].j+1) == "in" && len(rest) > 0 && isPlace(rest[0]) {
				d.addRelNP(s, x, rest[0], faultline.BasedIn, h, "place.origin", "", "")
			}
		}
		return
	}
}

// partOfPhrase handles "X, a branch of Y" and "X is the local affiliate of Y".
func (d *doc) partOfPhrase(s *sent, x ment) {
	k := x.j + 1
	if k >= s.n() || x.typ == faultline.Person {
		return
	}
	g := gap(d.text, s.tok(x.j), s.tok(k))
	// "The group began as the militant youth wing of the ICU"
	asVerb := asVerbs[s.fold(k)] && s.fold(k+1) == "as"
	if !strings.ContainsAny(g, ",—–(") && s.fold(k) != "is" && s.fold(k) != "was" && s.fold(k) != "became" && !asVerb {
		return
	}
	for h := k; h < s.n() && h <= k+7; h++ {
		if s.at[h] >= 0 {
			return
		}
		if partNouns[s.fold(h)] && s.fold(h+1) == "of" {
			o := h + 2
			if s.fold(o) == "the" {
				o++
			}
			if y, ok := s.mentAt(o); ok && isActor(y) && y.typ != faultline.Person {
				d.addRelNP(s, x, y, faultline.PartOf, h, "part.of-phrase", "", "")
			}
			return
		}
	}
}

// asVerbs with "as" describe what their subject is or was: "began as the
// youth wing of", "operates as an arm of".
var asVerbs = setOf("began", "begun", "started", "emerged", "originated", "serves", "served", "acts", "acted", "operates",
	"operated", "functions", "functioned")

// countryInName finds the country a government body is named after, when
// the document names that country too: "Pakistan Army" → Pakistan.
func (d *doc) countryInName(s *sent, g ment) (ment, bool) {
	f := s.fold(g.i)
	r, ok := d.x.lex.demonyms[f]
	if !ok {
		m, hit := d.longest(s.st, g.i)
		if !hit || m.j >= g.j {
			return ment{}, false
		}
		r = d.pickRef(m.entries)
		if d.x.lex.refs[r].typ != faultline.Country {
			return ment{}, false
		}
	}
	idx, ok := d.entByKey()[d.x.lex.refs[r].key]
	if !ok {
		return ment{}, false
	}
	return ment{i: g.i, j: g.i, ent: idx, typ: d.ents[idx].Type}, d.ents[idx].Type == faultline.Country
}

// entByKey maps dictionary and gazetteer keys to entity indices.
func (d *doc) entByKey() map[string]int {
	if d.byKey == nil {
		d.byKey = map[string]int{}
		for i, e := range d.ents {
			if e.Key != "" {
				d.byKey[e.Key] = i
			}
		}
	}
	return d.byKey
}

// placeRelations finds places within places ("Khar, Bajaur",
// "Kerman in Iran", "near Saravan, in Iran's Sistan and Baluchestan
// province", "Pakistan's Balochistan province", "the Anantnag district of
// Jammu and Kashmir") and organisations at a place ("the Centre …, New
// Delhi"). The gazetteer must agree that one place lies in the other,
// unless the first is a place it does not know.
func (d *doc) placeRelations(s *sent) {
	for n, a := range s.ms {
		if a.anaphor {
			continue
		}
		if d.possessive(s, a) && isPlace(a) {
			// "Pakistan's Balochistan province"
			if b, ok := s.mentAt(d.after(s, a)); ok && b.typ == faultline.Location && d.within(b.ent, a.ent) {
				d.addRelNP(s, b, a, faultline.LocatedIn, b.i, "place.possessive", "", "")
			}
			continue
		}
		k := a.j + 1
		g := strings.TrimSpace(s.gapAfter(d.text, a.j))
		link := "comma"
		switch {
		case k >= s.n():
			continue
		case g == "," && (s.fold(k) == "in" || s.fold(k) == "of"):
			link, k = "in", k+1
		case g == "," && s.at[k] >= 0:
		case g == "" && (s.fold(k) == "in" || s.fold(k) == "of" && n > 0 || s.fold(k) == "of" && placeNouns[s.fold(a.j)]):
			link, k = s.fold(k), k+1
		case g == "" && adminNouns[s.fold(k)] && s.fold(k+1) == "of":
			link, k = "admin-of", k+2 // "the Sherpur district of Kabul"
		case g == "" && placeNouns[s.fold(k)] && s.fold(k+1) == "of":
			link, k = "of", k+2 // "Anantnag district of …"
		case g == "," && a.typ == faultline.Location && (s.fold(k) == "a" || s.fold(k) == "an"):
			// "Crocus City Hall, a concert venue in Krasnogorsk"
			h := k + 1
			for h < s.n() && h <= k+4 && s.at[h] < 0 && s.fold(h) != "in" && !clauseBreaks[s.fold(h)] &&
				!strings.ContainsAny(s.gapAfter(d.text, h-1), ",;:()") {
				h++
			}
			if h >= s.n() || s.fold(h) != "in" || h == k+1 {
				continue
			}
			link, k = "apposition", h+1
		default:
			continue
		}
		objs := d.objectsRight(s, k)
		if len(objs) == 0 {
			continue
		}
		b := objs[0]
		if b.ent == a.ent {
			continue
		}
		if a.typ == faultline.Location && isPlace(b) {
			// The text's own word for the container ("the X district of
			// Y", "X, Bajaur district") outweighs the gazetteer, whose
			// place of the same name may lie elsewhere.
			if d.within(a.ent, b.ent) || link == "admin-of" || link == "apposition" || link == "comma" && adminNouns[s.fold(b.j)] && d.placeRef(b.ent) == nil {
				d.addRelNP(s, a, b, faultline.LocatedIn, a.i, "place."+link, "", "")
			}
			continue
		}
		// "the Institute for Conflict Management (ICM), New
		// Delhi": an institution followed by its city.
		if link == "comma" && (a.typ == faultline.Organization || a.typ == faultline.GovernmentBody) && isPlace(b) &&
			b.i == a.j+1 && (b.j+1 >= s.n() || strings.ContainsAny(s.gapAfter(d.text, b.j), ",.")) {
			if pl := d.placeRef(b.ent); pl != nil && pl.Kind == gazetteer.KindCity {
				d.addRelNP(s, a, b, faultline.BasedIn, b.i, "place.institution", "", "")
			}
		}
	}
}

func isPlace(m ment) bool { return m.typ == faultline.Location || m.typ == faultline.Country }

// placeRef returns the gazetteer place an entity resolved to, if any.
func (d *doc) placeRef(ent int) *gazetteer.Place {
	key := d.ents[ent].Key
	if key == "" {
		return nil
	}
	if strings.HasPrefix(key, "iso3166:") {
		if p, ok := d.x.gaz.Country(strings.TrimPrefix(key, "iso3166:")); ok {
			return &p
		}
		return nil
	}
	if p, ok := d.x.gaz.ByID(key); ok {
		return &p
	}
	return nil
}

// within reports whether place a lies inside place b by the gazetteer; an
// unknown place followed by a known region or country is taken at the
// text's word ("Mir Ali, North Waziristan").
func (d *doc) within(a, b int) bool {
	pb := d.placeRef(b)
	if pb == nil {
		return false
	}
	pa := d.placeRef(a)
	if pa == nil {
		return pb.Kind == gazetteer.KindCountry || pb.Kind == gazetteer.KindAdmin1
	}
	// A curated district or region holds no list of its towns; a town of
	// the same country named with it is taken at the text's word ("Mir
	// Ali, North Waziristan").
	if pb.Kind == gazetteer.KindRegion && pb.CountryCode != "" && pa.Kind == gazetteer.KindCity && pa.CountryCode == pb.CountryCode {
		return true
	}
	cur := *pa
	for range 4 {
		p, ok := d.x.gaz.Parent(cur)
		if !ok {
			return false
		}
		if p.ID == pb.ID {
			return true
		}
		cur = p
	}
	return false
}

// compoundRelations reads hyphenated ties: "Iran-backed Houthis",
// "Quetta-based Taliban leaders", "al-Qaeda-linked groups".
func (d *doc) compoundRelations(s *sent) {
	for _, m := range s.ms {
		k := m.j + 1
		if k >= s.n() || gap(d.text, s.tok(m.j), s.tok(k)) != "-" {
			continue
		}
		tr, ok := compoundTies[s.fold(k)]
		if !ok {
			continue
		}
		// The head of the noun phrase: the next mention, past adjectives.
		for h := k + 1; h < s.n() && h <= k+4; h++ {
			if strings.ContainsAny(s.gapAfter(d.text, h-1), ",;:") {
				break
			}
			if y, ok := s.mentAt(h); ok {
				if tr.pred == faultline.BasedIn || tr.pred == faultline.Leads {
					d.addRelNP(s, y, m, tr.pred, k, "compound."+s.fold(k), "", "")
				} else {
					d.addRelNP(s, m, y, tr.pred, k, "compound."+s.fold(k), "", tr.kind)
				}
				break
			}
			if preps[s.fold(h)] || clauseBreaks[s.fold(h)] {
				break
			}
		}
	}
}

// dictionaryParents states what the dictionary knows of an entity's
// parent ("ISI" is part of Pakistan, "Amaq" of the Islamic State) when the
// document names both. The evidence is the first sentence naming both, or
// else the first naming the part; the rule says the tie comes from the
// dictionary, not the prose.
func (d *doc) dictionaryParents(ss []*sent) {
	byKey := d.entByKey()
	first := map[int]int{} // entity → first sentence
	for _, s := range ss {
		for _, m := range s.ms {
			if _, ok := first[m.ent]; !ok && !m.anaphor {
				first[m.ent] = s.si
			}
		}
	}
	for i, e := range d.ents {
		r, ok := d.x.lex.byKey[e.Key]
		if e.Key == "" || !ok || d.x.lex.refs[r].parent == "" {
			continue
		}
		// The nearest ancestor the document names: CENTCOM's parent is
		// the Department of Defense, whose parent is the United States.
		parent := d.x.lex.refs[r].parent
		p, ok := byKey[parent]
		for hop := 0; !ok && hop < 3; hop++ {
			a, known := d.x.lex.byKey[parent]
			if !known || d.x.lex.refs[a].parent == "" {
				break
			}
			parent = d.x.lex.refs[a].parent
			p, ok = byKey[parent]
			if ok && d.ents[p].Type != faultline.Country {
				ok = false // only a state is reached through its organs
				break
			}
		}
		if !ok {
			continue
		}
		// A state's organs belong to it by definition; an armed group's
		// allegiance is contested and changes, so the text must name
		// both together for the dictionary to speak.
		sameSentenceOnly := d.ents[p].Type != faultline.Country
		if sameSentenceOnly {
			found := false
			for _, s := range ss[first[i]:] {
				hasC, hasP := false, false
				for _, m := range s.ms {
					hasC = hasC || m.ent == i
					hasP = hasP || m.ent == p
				}
				if hasC && hasP {
					found = true
					break
				}
			}
			if !found {
				continue
			}
		}
		at := first[i]
		for _, s := range ss[at:] {
			both := false
			for _, m := range s.ms {
				both = both || m.ent == p
			}
			if both {
				at = s.si
				break
			}
		}
		s := ss[at]
		c := ment{ent: i, typ: e.Type}
		for _, m := range s.ms {
			if m.ent == i {
				c = m
				break
			}
		}
		d.addRelNP(s, c, ment{i: c.i, j: c.j, ent: p, typ: d.ents[p].Type}, faultline.PartOf, c.i, "dictionary.parent", "", "")
	}
}

// emitRelations merges the relations found into one per subject,
// predicate, object, modality and source, in order of first evidence.
func (d *doc) emitRelations(ss []*sent) []faultline.ExtractedRelation {
	slices.SortStableFunc(d.rels, func(a, b relCand) int {
		if a.si != b.si {
			return a.si - b.si
		}
		return a.tok - b.tok
	})
	type key struct {
		s, o int
		p    faultline.Predicate
		mod  faultline.Modality
		attr int
	}
	out := []faultline.ExtractedRelation{}
	at := map[key]int{}
	evSeen := map[[2]int]bool{}
	for _, r := range d.rels {
		s, o := r.s, r.o
		if r.pred.Symmetric() && o < s {
			s, o = o, s
		}
		k := key{s, o, r.pred, r.mod, r.attr}
		n, ok := at[k]
		if !ok {
			n = len(out)
			at[k] = n
			rel := faultline.ExtractedRelation{
				Subject: d.ents[r.s].ID, Predicate: r.pred, Object: d.ents[r.o].ID, Modality: r.mod,
				Evidence: []faultline.Span{}, Rule: r.rule,
			}
			if r.attr >= 0 {
				rel.AttributedTo = ptr(d.ents[r.attr].ID)
			}
			out = append(out, rel)
		}
		rel := &out[n]
		if r.role != "" && rel.Role == nil {
			rel.Role = ptr(r.role)
		}
		if r.kind != "" && rel.Kind == nil {
			rel.Kind = ptr(r.kind)
		}
		if r.from != "" && rel.ValidFrom == nil {
			rel.ValidFrom = ptr(r.from)
		}
		if r.to != "" && rel.ValidTo == nil {
			rel.ValidTo = ptr(r.to)
		}
		if !evSeen[[2]int{n, r.si}] {
			evSeen[[2]int{n, r.si}] = true
			rel.Evidence = append(rel.Evidence, d.sentenceSpan(ss[r.si]))
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// sentenceSpan is a sentence as evidence, in code points.
func (d *doc) sentenceSpan(s *sent) faultline.Span {
	return faultline.Span{Start: s.cpS, End: s.cpE, Text: d.text[s.st.s:s.st.e]}
}
