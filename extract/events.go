package extract

import (
	"fmt"
	"strings"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// evTrigger is a word that names an event.
type evTrigger struct {
	typ faultline.EventType
	// verb: the word is a finite verb or participle whose subject is the
	// agent and whose object the target; otherwise a noun.
	verb bool
}

func evForms(typ faultline.EventType, verb bool, words ...string) map[string]evTrigger {
	m := map[string]evTrigger{}
	for _, w := range words {
		m[w] = evTrigger{typ: typ, verb: verb}
	}
	return m
}

func evMerge(ms ...map[string]evTrigger) map[string]evTrigger {
	out := map[string]evTrigger{}
	for _, m := range ms {
		for w, t := range m {
			out[w] = t
		}
	}
	return out
}

// evCapture is a provisional type for "captured", "seized": what was taken
// decides the real one (captureType).
const evCapture faultline.EventType = "capture"

// evTriggers maps trigger words to event types.
var evTriggers = evMerge(
	evForms(faultline.Attack, false, "attack", "attacks", "bombing", "bombings", "blast", "blasts", "explosion",
		"explosions", "massacre", "massacres", "shooting", "shootings", "assault", "assaults", "ambush", "ambushes",
		"siege", "hijacking", "hijack", "carnage", "atrocity", "rampage", "onslaught"),
	evForms(faultline.Attack, true, "attacked", "bombed", "stormed", "ambushed", "hijacked", "besieged", "shelled",
		"massacred", "targeted", "exploded", "detonated", "blew"),
	evForms(faultline.Raid, false, "raid", "raids", "crackdown", "operation", "offensive"),
	evForms(faultline.Raid, true, "raided"),
	evForms(faultline.Strike, false, "strike", "strikes", "airstrike", "airstrikes", "bombardment"),
	evForms(faultline.Strike, false, "missiles", "rockets", "drones"),
	evForms(faultline.Attack, true, "struck", "hit"),
	evForms(faultline.Clash, false, "clash", "clashes", "skirmish", "skirmishes", "firefight", "gunfight", "battle",
		"invasion", "incursion", "intervention"),
	evForms(faultline.Clash, true, "invaded", "intervened"),
	evForms(faultline.Clash, true, "clashed", "skirmished"),
	evForms(faultline.Arrest, false, "arrest", "arrests", "detention", "capture"),
	evForms(faultline.Arrest, true, "arrested", "detained", "apprehended", "nabbed"),
	evForms(evCapture, true, "captured", "seized", "overran", "retook", "recaptured", "took", "entered"),
	evForms(faultline.Extradition, false, "extradition", "deportation", "handover"),
	evForms(faultline.Extradition, true, "extradited", "deported", "repatriated"),
	evForms(faultline.Killing, false, "assassination", "assassinations", "execution", "executions", "beheading",
		"killing"),
	evForms(faultline.Killing, true, "assassinated", "executed", "beheaded", "killed", "eliminated"),
	evForms(faultline.Declaration, false, "declaration", "pledge", "ultimatum", "fatwa"),
	evForms(faultline.Declaration, true, "declared", "pledged", "vowed", "threatened", "claimed"),
	evForms(faultline.Statement, true, "admitted", "acknowledged", "conceded", "confessed", "announced", "warned",
		"stated", "denied"),
	evForms(faultline.Statement, false, "admission", "acknowledgement", "acknowledgment", "announcement"),
	evForms(faultline.Designation, false, "designation", "designations", "blacklisting", "listing"),
	evForms(faultline.Designation, true, "designated", "sanctioned", "blacklisted", "proscribed", "banned",
		"outlawed", "listed", "designating", "designates", "redesignated"),
	evForms(faultline.Founding, false, "founding", "formation", "creation", "emergence", "advent", "establishment",
		"birth", "inception"),
	evForms(faultline.Founding, true, "founded", "formed", "established", "emerged", "cofounded", "set", "appeared"),
	evForms(faultline.Relocation, false, "relocation"),
	evForms(faultline.Relocation, true, "relocated", "shifted", "moved", "fled", "retreated"),
	evForms(faultline.Withdrawal, false, "withdrawal", "pullout", "drawdown", "exit", "evacuation"),
	evForms(faultline.Withdrawal, true, "withdrew", "withdrawn"),
	evForms(faultline.SeizureOfPower, false, "takeover", "coup"),
	evForms(faultline.Agreement, false, "agreement", "deal", "accord", "ceasefire", "truce", "pact", "treaty"),
	evForms(faultline.Agreement, true, "signed"),
)

// weaponNouns are strikes only when fired: "launched missiles and drones".
var weaponNouns = setOf("missiles", "rockets", "drones")

// fireVerbs fire weapons.
var fireVerbs = setOf("launched", "launches", "launch", "fired", "fires", "fire", "lobbed", "shot", "unleashed")

// weaponsFired reports whether the weapon noun at t is the object of a
// fire verb, past up to two modifiers or a coordinated weapon: "launched
// ballistic missiles", "fired missiles and drones".
func (d *doc) weaponsFired(s *sent, t int) bool {
	for k := t - 1; k >= 0 && k >= t-4; k-- {
		f := s.fold(k)
		if fireVerbs[f] {
			return true
		}
		if s.at[k] >= 0 || preps[f] || clauseBreaks[f] && f != "and" {
			return false
		}
	}
	return false
}

// perpetrationVerbs govern an event noun whose agent is their subject:
// "BLA staged a raid", "ISKP claimed the attack".
var perpetrationVerbs = setOf("staged", "stage", "stages", "carried", "carries", "carry", "conducted",
	"conducts", "conduct", "launched", "launches", "launch", "mounted", "mounts", "committed", "perpetrated",
	"orchestrated", "claimed", "claims", "responded", "issued", "issues", "made", "announced", "signed", "reached",
	"ordered", "led", "masterminded", "planned", "executed", "unleashed", "initiated", "began", "started",
	"undertook", "completed", "struck", "inked", "brokered", "concluded", "published", "released", "declared",
	"imposed", "approved", "began", "waged", "wages", "fought", "opened", "fired", "fires", "lobbed", "unleashes")

// ofAgent event nouns take their agent from "of": "the withdrawal of US
// forces", "the emergence of ISKP"; the others take their target: "the
// arrest of Hafiz Saeed".
var ofAgent = map[faultline.EventType]bool{
	faultline.Withdrawal: true, faultline.Founding: true, faultline.Relocation: true,
	faultline.SeizureOfPower: true, faultline.Declaration: true, faultline.Statement: true,
}

// eventModifiers may stand between a pre-modifying name and an event
// noun: "the 2015 Garissa attack", "a U.S. drone strike".
var eventModifiers = setOf("the", "a", "an", "suicide", "drone", "air", "twin", "deadly", "pre", "emptive",
	"preemptive", "public", "major", "terror", "terrorist", "militant", "coordinated", "armed", "gun", "bomb",
	"car", "truck", "vehicle", "borne", "improvised", "explosive", "device", "rocket", "missile", "grenade",
	"mortar", "concert", "hall", "airport", "hotel", "mosque", "market", "school", "church", "shrine", "bus",
	"train", "station", "border", "military", "security", "police", "counter", "terrorism", "insurgency",
	"joint", "targeted", "high", "profile", "failed", "foiled", "alleged", "latest", "recent", "first", "second",
	"third", "last", "retaliatory", "cross", "ground", "precision", "large", "scale", "formal", "total", "full",
	"complete", "hasty", "chaotic", "final", "official", "unilateral", "peace", "power", "sharing", "security",
	"s", "massive", "brazen", "horrific", "bloody", "devastating", "simultaneous", "multiple", "series", "wave",
	"fresh", "renewed", "new", "covert", "clandestine", "nighttime", "dawn", "night", "day", "minute", "long",
	"hour", "ceasefire", "of", "war", "surprise", "massacre", "shooting", "siege", "hostage", "kidnapping",
	"several", "many", "numerous", "repeated", "further", "two", "three", "four", "five", "dozens", "hundreds")

type evCand struct {
	typ      faultline.EventType
	date     DateExpr
	loc      int // entity index or -1
	parts    []evPart
	fat      int // -1 unknown
	low      bool
	mod      faultline.Modality
	attr     int
	si, tok  int
	rule     string
	plural   bool
	definite bool  // "the attack", "this bombing": may refer back
	gov      int   // token of a governing verb ("staged a raid"), or 0
	evidence []int // sentence indices
}

type evPart struct {
	ent  int
	role faultline.ParticipantRole
}

func (e *evCand) add(m ment, role faultline.ParticipantRole) {
	for _, p := range e.parts {
		if p.ent == m.ent {
			return
		}
	}
	e.parts = append(e.parts, evPart{ent: m.ent, role: role})
}

// events runs the event rules over every sentence and merges mentions of
// the same event.
func (d *doc) events(ss []*sent) []faultline.ExtractedEvent {
	var evs []evCand
	for _, s := range ss {
		evs = d.sentenceEvents(s, evs)
	}
	evs = d.mergeEvents(evs)
	out := []faultline.ExtractedEvent{}
	for _, e := range evs {
		v := faultline.ExtractedEvent{
			ID: fmt.Sprintf("v%d", len(out)+1), Type: e.typ, Modality: e.mod, Rule: e.rule,
			Participants: []faultline.Participant{}, Evidence: []faultline.Span{},
		}
		if iso := e.date.ISO(); iso != "" {
			v.Date = ptr(iso)
		}
		if e.loc >= 0 {
			v.Location = ptr(d.ents[e.loc].ID)
		}
		for _, p := range e.parts {
			v.Participants = append(v.Participants, faultline.Participant{Entity: d.ents[p.ent].ID, Role: p.role})
		}
		if e.fat >= 0 {
			v.Fatalities = ptr(e.fat)
			v.FatalitiesLow = e.low
		}
		if e.attr >= 0 {
			v.AttributedTo = ptr(d.ents[e.attr].ID)
		}
		for _, si := range e.evidence {
			v.Evidence = append(v.Evidence, d.sentenceSpan(ss[si]))
		}
		out = append(out, v)
	}
	return out
}

func (d *doc) sentenceEvents(s *sent, evs []evCand) []evCand {
	first := len(evs)
	for t := 0; t < s.n(); t++ {
		if s.hot[t]&hotEvent == 0 || s.at[t] >= 0 {
			continue
		}
		tok := s.tok(t)
		if tok.cap && t > 0 {
			continue // part of a name: "the Moscow Attack Memorial"
		}
		tr, ok := evTriggers[tok.fold]
		if !ok {
			continue
		}
		e, ok := d.eventAt(s, t, tr)
		if !ok {
			continue
		}
		evs = append(evs, e)
	}
	if len(evs) > first {
		d.fatalities(s, evs[first:])
	} else if first > 0 && evs[first-1].si == s.si-1 {
		// "… gunmen opened fire on visitors. Twenty-six civilians were
		// killed." A toll with no event of its own is the last one's.
		d.fatalities(s, evs[first-1:first])
	}
	for n := first; n < len(evs); n++ {
		e := &evs[n]
		// An event needs someone or somewhere; a plural noun with
		// nothing to pin it down is talk about events in general
		// ("plan sophisticated attacks").
		if len(e.parts) == 0 && e.loc < 0 {
			e.typ = ""
			continue
		}
		if e.plural && e.date.Year == 0 && e.loc < 0 && e.fat < 0 && !d.hasTarget(e) {
			e.typ = ""
			continue
		}
		// A truce or clash needs two sides or a date to be an event
		// rather than a state of affairs.
		if (e.typ == faultline.Agreement || e.typ == faultline.Clash) && len(e.parts) < 2 && e.date.Year == 0 {
			e.typ = ""
			continue
		}
		if e.typ == faultline.Attack || e.typ == faultline.Raid || e.typ == faultline.Strike ||
			e.typ == faultline.Clash || e.typ == faultline.Killing {
			d.eventHostility(s, e)
			// An armed group that strikes somewhere is active there and in
			// the region around it the document names; an attack in a
			// country is hostility to its state.
			// Raids, strikes and clashes happen where the target is, so
			// only attacks and killings place their agent.
			if e.loc >= 0 && (e.typ == faultline.Attack || e.typ == faultline.Killing) {
				for _, p := range e.parts {
					if p.role != faultline.RoleAgent || d.ents[p.ent].Type != faultline.ArmedGroup {
						continue
					}
					g := ment{ent: p.ent, typ: faultline.ArmedGroup}
					d.addRel(s, g, ment{ent: e.loc, typ: d.ents[e.loc].Type}, faultline.ActiveIn, e.tok, "event.active_in", "", "")
					region, country := d.enclosing(e.loc)
					if region >= 0 {
						d.addRel(s, g, ment{ent: region, typ: d.ents[region].Type}, faultline.ActiveIn, e.tok, "event.active_in.region", "", "")
					}
					if country >= 0 && e.typ != faultline.Clash {
						d.addRel(s, g, ment{ent: country, typ: faultline.Country}, faultline.HostileTo, e.tok, "event.hostile.country", "", "")
					}
				}
			}
		}
	}
	kept := evs[:first]
	for _, e := range evs[first:] {
		if e.typ != "" {
			kept = append(kept, e)
		}
	}
	return kept
}

func (d *doc) hasTarget(e *evCand) bool {
	for _, p := range e.parts {
		if p.role == faultline.RoleTarget {
			return true
		}
	}
	return false
}

// eventHostility turns a violent event between two actors into a
// hostile_to tie.
func (d *doc) eventHostility(s *sent, e *evCand) {
	for _, a := range e.parts {
		if a.role != faultline.RoleAgent {
			continue
		}
		for _, b := range e.parts {
			if b.role != faultline.RoleTarget {
				continue
			}
			am := ment{ent: a.ent, typ: d.ents[a.ent].Type}
			bm := ment{ent: b.ent, typ: d.ents[b.ent].Type}
			d.addRel(s, am, bm, faultline.HostileTo, e.tok, "event."+string(e.typ), "", "")
		}
	}
}

// enclosing finds the entities of the document that contain a place, by
// the gazetteer: its first-level region and its country (-1 when the
// document does not name them).
func (d *doc) enclosing(loc int) (region, country int) {
	region, country = -1, -1
	p := d.placeRef(loc)
	if p == nil {
		return
	}
	byKey := d.entByKey()
	if p.Kind != gazetteer.KindCountry {
		if c, ok := d.x.gaz.Country(p.CountryCode); ok {
			if i, ok := byKey[countryKey(c.CountryCode)]; ok && i != loc {
				country = i
			}
		}
	}
	if p.Kind == gazetteer.KindCity {
		if r, ok := d.x.gaz.Parent(*p); ok && r.Kind == gazetteer.KindAdmin1 {
			if i, ok := byKey[r.ID]; ok {
				region = i
			}
		}
	}
	return region, country
}

// eventAt reads one event around the trigger at token t.
func (d *doc) eventAt(s *sent, t int, tr evTrigger) (evCand, bool) {
	e := evCand{typ: tr.typ, loc: -1, fat: -1, si: s.si, tok: t, attr: -1, evidence: []int{s.si}}
	f := s.fold(t)
	switch {
	case weaponNouns[f] && !d.weaponsFired(s, t):
		// "Iran supplies missiles to the Houthis" is no strike; "the
		// IRGC launched missiles and drones at …" is.
		return e, false
	case !tr.verb && d.verbUse(s, t):
		return e, false
	case tr.typ == faultline.Killing && f == "killing" && d.fatalityUse(s, t):
		return e, false
	case tr.typ == faultline.Killing && (f == "killed" || f == "eliminated"):
		// "killed in a drone strike" belongs to the strike; "killing 30"
		// is a toll. Only a named person killed is a killing of its own;
		// "a drone killed one man in Tel Aviv" is an attack.
		if d.otherEventNear(s, t) && !d.ownSubject(s, t) {
			return e, false
		}
		if _, ok := d.quantity(s, t+1); ok && !d.passiveBefore(s, t) {
			if !d.ownSubject(s, t) {
				for k := 0; k < t; k++ {
					if tr, ok := evTriggers[s.fold(k)]; ok && s.at[k] < 0 && violent(tr.typ) {
						return e, false // "… bombing …, which killed more than 50": a toll
					}
				}
			}
			e.typ = faultline.Attack
		}
	case tr.typ == faultline.Declaration && tr.verb:
		if !d.declarationObject(s, t) {
			return e, false
		}
	case tr.typ == faultline.Relocation && tr.verb:
		if _, ok := d.prepAfterFar(s, t, "to", 8); !ok {
			return e, false
		}
	case tr.typ == faultline.Founding && tr.verb && f == "established":
		if !d.passiveBefore(s, t) {
			return e, false // "established contacts with"
		}
	case f == "blew" && s.fold(t+1) != "up" && s.fold(t+2) != "up" && s.fold(t+3) != "up":
		return e, false
	case f == "set" && s.fold(t+1) != "up":
		return e, false
	case f == "appeared" && (s.fold(t+1) == "to" || s.fold(t+1) == "in" && !d.yearAt(s, t+2) || s.fold(t+1) != "in" && s.fold(t+1) != "around"):
		return e, false // "appeared to be", "appeared in a video"
	case tr.typ == faultline.Withdrawal && tr.verb && d.withdrewWords(s, t):
		// "the group withdrew its claim": a statement, not a pull-out
		e.typ = faultline.Declaration
	case f == "entered" && !d.capitalObject(s, t):
		return e, false
	case tr.typ == faultline.Raid && (f == "operation" || f == "offensive" || f == "crackdown"):
		if _, ok := d.prepAfter(s, t, []string{"against", "on"}); !ok {
			return e, false
		}
	case tr.typ == faultline.Agreement && tr.verb:
		if !d.agreementObject(s, t) {
			return e, false
		}
	case (f == "exit" || f == "evacuation" || f == "listing" || f == "birth" || f == "establishment") && s.fold(t+1) != "of" && s.fold(t+1) != "from":
		return e, false
	}
	e.rule = "event." + string(tr.typ)
	e.plural = !tr.verb && strings.HasSuffix(f, "s") && !strings.HasSuffix(f, "ss")
	if !tr.verb {
		for k := t - 1; k >= 0 && k >= t-3; k-- {
			if g := s.fold(k); g == "the" || g == "this" || g == "that" || g == "its" {
				e.definite = true
				break
			} else if !eventModifiers[g] {
				break
			}
		}
	}
	if tr.verb {
		d.verbEvent(s, t, &e)
	} else {
		d.nounEvent(s, t, &e)
	}
	// "agreed to set up liaison mechanisms" founds nothing the graph
	// knows: a founding needs a group among its participants.
	if e.typ == faultline.Founding && tr.verb && f != "emerged" {
		group := false
		for _, p := range e.parts {
			t := d.ents[p.ent].Type
			group = group || t == faultline.ArmedGroup || t == faultline.Organization || t == faultline.PoliticalParty
		}
		if !group {
			return e, false
		}
	}
	if e.typ == evCapture {
		e.typ = d.captureType(s, t, &e)
		if e.typ == "" {
			return e, false
		}
	}
	if e.typ == faultline.Arrest || e.typ == faultline.Extradition || e.typ == faultline.Killing {
		// One arrests, extradites or kills people: "captured the port
		// of Kismayo" is no arrest.
		if !d.personTarget(s, t, &e) {
			return e, false
		}
	}
	// Missiles fired by an armed group are its attack.
	if weaponNouns[f] {
		for _, p := range e.parts {
			if p.role == faultline.RoleAgent {
				if t := d.ents[p.ent].Type; t != faultline.Country && t != faultline.GovernmentBody {
					e.typ = faultline.Attack
				}
				break
			}
		}
	}
	// A state that "struck" or "bombed" something carried out a strike;
	// an armed group, an attack.
	if e.typ == faultline.Attack && tr.verb && (f == "struck" || f == "hit" || f == "bombed" || f == "shelled" || f == "targeted") {
		for _, p := range e.parts {
			if p.role == faultline.RoleAgent {
				if t := d.ents[p.ent].Type; t == faultline.Country || t == faultline.GovernmentBody {
					e.typ = faultline.Strike
				}
				break
			}
		}
	}
	if e.typ == faultline.Statement {
		// Only officials and bodies make statements worth an event.
		if len(e.parts) == 0 || e.parts[0].role != faultline.RoleAgent {
			return e, false
		}
		switch d.ents[e.parts[0].ent].Type {
		case faultline.Person, faultline.GovernmentBody, faultline.Country, faultline.PoliticalParty:
		default:
			return e, false
		}
		e.loc = -1
		e.parts = e.parts[:1]
	}
	if tr.verb || e.gov > 0 {
		e.date = d.eventDate(s, t)
	} else {
		e.date = d.eventDateWithin(s, t, 16)
	}
	// "The Department of State today announced …": the document's date.
	if e.date.Year == 0 && d.anchor.Precision == PrecisionDay {
		for k := max(0, t-6); k < s.n() && k <= t+3; k++ {
			if s.fold(k) == "today" && !s.tok(k).cap || s.fold(k) == "today" && k == 0 {
				e.date = d.anchor
				break
			}
		}
	}
	// A founding the text does not date is no point on a timeline
	// ("LeT, co-founded by Hafiz Saeed, …").
	if e.typ == faultline.Founding && e.date.Year == 0 {
		return e, false
	}
	var negated bool
	e.mod, e.attr, negated = d.modality(s, t)
	if negated || e.gov > 0 && d.irrealisAt(s, e.gov) {
		return e, false // "told its fighters to carry out attacks"
	}
	if e.typ == faultline.Statement && e.mod == faultline.Reported {
		e.mod, e.attr = faultline.Asserted, -1
	}
	// "The Department of State announced the designation", "TRF claimed
	// the attack": an actor reporting its own act asserts it.
	if e.mod == faultline.Reported && e.attr >= 0 {
		for _, p := range e.parts {
			if p.role == faultline.RoleAgent && p.ent == e.attr {
				e.mod, e.attr = faultline.Asserted, -1
				break
			}
		}
	}
	return e, true
}

// ownSubject reports whether a kill verb has a subject of its own right
// before it ("militants killed seven soldiers"), making it an event apart
// from the sentence's others rather than their toll ("…, which killed").
func (d *doc) ownSubject(s *sent, t int) bool {
	if t == 0 || strings.ContainsAny(s.gapAfter(d.text, t-1), ",;:") {
		return false
	}
	p := s.fold(t - 1)
	if s.at[t-1] >= 0 {
		return true
	}
	return !(p == "which" || p == "that" || p == "who" || passiveAux[p] || p == "and" || p == "reportedly" ||
		p == "also" || p == "had" || p == "have" || p == "has" || preps[p] || tr(p) || eventModifiers[p])
}

// capitalObject reports whether "entered" takes a capital or a country:
// "Taliban fighters entered Kabul".
func (d *doc) capitalObject(s *sent, t int) bool {
	for _, m := range d.objectsRight(s, t+1) {
		if p := d.placeRef(m.ent); p != nil && (p.IsCapital || p.Kind == gazetteer.KindCountry || d.capitalNamed(p)) {
			return true
		}
	}
	return false
}

// yearAt reports whether token k opens a date.
func (d *doc) yearAt(s *sent, k int) bool {
	for _, dt := range s.dates {
		if dt.i == k || dt.i == k+1 && s.fold(k) == "the" {
			return true
		}
	}
	return false
}

// withdrewWords reports whether what was withdrawn is words, not forces.
func (d *doc) withdrewWords(s *sent, t int) bool {
	for k := t + 1; k <= t+3 && k < s.n(); k++ {
		switch s.fold(k) {
		case "claim", "claims", "statement", "support", "recognition", "offer", "allegation", "accusation", "demand":
			return true
		}
	}
	return false
}

// violent reports whether an event type is one that kills.
func violent(t faultline.EventType) bool {
	switch t {
	case faultline.Attack, faultline.Raid, faultline.Strike, faultline.Clash, faultline.Killing:
		return true
	}
	return false
}

// personTarget makes sure an arrest, extradition or killing has a person
// as its target, looking a little further for one ("detained the suspected
// organiser of the bombing, TTP commander X").
func (d *doc) personTarget(s *sent, t int, e *evCand) bool {
	for _, p := range e.parts {
		if p.role == faultline.RoleTarget && d.ents[p.ent].Type == faultline.Person {
			return true
		}
	}
	for _, p := range e.parts {
		if p.role == faultline.RoleTarget {
			return false // a target, but no person
		}
	}
	for h := t + 1; h < s.n() && h <= t+16; h++ {
		f := s.fold(h)
		if clauseBreaks[f] || f == "that" || strings.ContainsAny(s.gapAfter(d.text, h-1), ";:") {
			break
		}
		if m, ok := s.mentAt(h); ok {
			if m.typ == faultline.Person {
				e.add(m, faultline.RoleTarget)
				return true
			}
			h = m.j
		}
	}
	// No person named: keep it only when its agent is stated and the
	// noun names an event on its own ("the arrest of several members").
	return false
}

// captureType decides what a capture is by what was taken: a person is
// arrested, a city or region is a seizure of power (or of ground, which
// the vocabulary counts as a raid), a ship or a building is attacked.
// "took" counts only as "took control of" or "took power".
func (d *doc) captureType(s *sent, t int, e *evCand) faultline.EventType {
	if s.fold(t) == "took" {
		switch {
		case s.fold(t+1) == "power" || s.fold(t+1) == "over":
		case s.fold(t+1) == "control" && s.fold(t+2) == "of":
			for _, m := range d.objectsRight(s, t+3) {
				if isPlace(m) && e.loc < 0 {
					e.loc = m.ent
				}
			}
		default:
			return ""
		}
		return faultline.SeizureOfPower
	}
	for _, p := range e.parts {
		if p.role == faultline.RoleTarget && d.ents[p.ent].Type == faultline.Person {
			return faultline.Arrest
		}
	}
	// "captured its leader, Abdolmalek Rigi"
	for h := t + 1; h < s.n() && h <= t+8; h++ {
		if m, ok := s.mentAt(h); ok && m.typ == faultline.Person && !m.anaphor {
			e.add(m, faultline.RoleTarget)
			return faultline.Arrest
		}
		if clauseBreaks[s.fold(h)] || strings.ContainsAny(s.gapAfter(d.text, h), ";:") {
			break
		}
	}
	if e.loc >= 0 {
		if pl := d.placeRef(e.loc); pl != nil && (pl.IsCapital || pl.Kind == gazetteer.KindCountry || d.capitalNamed(pl)) {
			return faultline.SeizureOfPower
		}
		return faultline.Raid
	}
	if s.fold(t+1) == "power" {
		return faultline.SeizureOfPower
	}
	// "seized the Jaffar Express", "seized a tanker": a hijacking.
	return faultline.Attack
}

// capitalNamed reports whether a province shares its name with a capital
// city ("Kabul", "Sanaa"): taking it means taking the capital.
func (d *doc) capitalNamed(p *gazetteer.Place) bool {
	if p.Kind != gazetteer.KindAdmin1 {
		return false
	}
	for _, c := range d.x.gaz.Lookup(p.Name) {
		if c.IsCapital && c.CountryCode == p.CountryCode {
			return true
		}
	}
	return false
}

// verbUse reports whether an event noun is used as a verb: "ISKP attacks
// Shia mosques", "vowed to strike".
func (d *doc) verbUse(s *sent, t int) bool {
	f := s.fold(t)
	switch s.fold(t - 1) {
	case "to", "will", "would", "could", "may", "might", "can", "did", "not", "and":
		if f == "attack" || f == "strike" || f == "raid" || f == "pledge" || f == "clash" || f == "arrest" {
			return true
		}
	}
	if f != "attacks" && f != "raids" && f != "strikes" && f != "clashes" && f != "pledges" {
		return false
	}
	m, ok := s.mentAt(t - 1)
	if !ok || d.possessive(s, m) || !isActor(m) || strings.TrimSpace(gap(d.text, s.tok(m.j), s.tok(t))) != "" {
		return false
	}
	switch p := s.fold(m.i - 1); {
	case p == "the" || p == "a" || p == "an" || p == "its" || p == "their":
		return false
	case m.i > 0 && s.tok(m.i-1).num:
		return false
	}
	return true
}

// fatalityUse reports whether "killing" gives the toll of another event:
// "…, killing 30 terrorists".
func (d *doc) fatalityUse(s *sent, t int) bool {
	if _, ok := d.quantity(s, t+1); ok {
		return true
	}
	return d.otherEventNear(s, t)
}

func (d *doc) otherEventNear(s *sent, t int) bool {
	for k := max(0, t-12); k < s.n() && k <= t+8; k++ {
		if k == t || s.at[k] >= 0 {
			continue
		}
		if tr, ok := evTriggers[s.fold(k)]; ok && tr.typ != faultline.Killing && tr.typ != faultline.Statement {
			return true
		}
	}
	return false
}

// declarationObject accepts "declared war", "pledged allegiance", "vowed
// revenge", "threatened attacks", "claimed responsibility".
func (d *doc) declarationObject(s *sent, t int) bool {
	for k := t + 1; k < s.n() && k <= t+3; k++ {
		// "IS claimed the attack": a claim of an event named after it.
		if tr, ok := evTriggers[s.fold(k)]; ok && s.fold(t) == "claimed" && !tr.verb && violent(tr.typ) {
			return true
		}
		switch s.fold(k) {
		case "war", "jihad", "allegiance", "bayat", "bay", "loyalty", "revenge", "retaliation", "responsibility",
			"attacks", "independence", "caliphate", "emirate":
			return true
		}
	}
	return false
}

func (d *doc) agreementObject(s *sent, t int) bool {
	for k := t + 1; k < s.n() && k <= t+4; k++ {
		if tr, ok := evTriggers[s.fold(k)]; ok && tr.typ == faultline.Agreement {
			return true
		}
	}
	return false
}

// verbEvent fills an event from a verb: subject agent, object target,
// "by X" agent in the passive, "in X" place, "to X" destination.
func (d *doc) verbEvent(s *sent, t int, e *evCand) {
	passive := d.passiveBefore(s, t)
	k := t + 1
	for k < s.n() && strings.HasSuffix(s.fold(k), "ly") && s.at[k] < 0 {
		k++
	}
	founding := e.typ == faultline.Founding
	if passive || s.fold(k) == "by" && t > 0 {
		// "X was arrested by Y", "X, founded by Y in 2015"
		if subj, ok := d.subjectLeft(s, t, false); ok {
			if founding {
				e.add(subj, faultline.RoleAgent)
			} else {
				for _, m := range d.listLeft(s, subj) {
					e.add(m, faultline.RoleTarget)
				}
			}
		} else if subj, ok := d.subjectAfterComma(s, t); ok && !founding {
			e.add(subj, faultline.RoleTarget)
		}
		if s.fold(k) == "by" {
			for _, m := range d.objectsRight(s, k+1) {
				if founding {
					e.add(m, faultline.RoleOther)
				} else if isActor(m) {
					e.add(m, faultline.RoleAgent)
				}
			}
		}
	} else {
		if subj, ok := d.subjectLeft(s, t, false); ok {
			for _, m := range d.listLeft(s, subj) {
				e.add(m, faultline.RoleAgent)
			}
		} else if subj, ok := d.subjectAfterComma(s, t); ok {
			e.add(subj, faultline.RoleAgent)
		}
		switch e.typ {
		case faultline.Statement, faultline.Relocation, faultline.Withdrawal, faultline.Declaration:
		default:
			for _, m := range d.objectsRight(s, k) {
				switch {
				case founding && isActor(m):
					e.add(m, faultline.RoleAgent)
				case isActor(m) && !d.demonymAdj(s, m):
					e.add(m, faultline.RoleTarget)
				case isPlace(m) && e.loc < 0:
					e.loc = m.ent
				}
			}
		}
		if e.typ == faultline.Declaration {
			if k, ok := d.prepAfterFar(s, t, "on", 4); ok {
				for _, m := range d.objectsRight(s, k) {
					e.add(m, faultline.RoleTarget)
				}
			}
		}
	}
	d.placeAndDestination(s, t, e)
}

// nounEvent fills an event from a noun: names before it ("the 2024 Kerman
// bombings", "a U.S. drone strike"), a possessive agent, "of", "on",
// "against", "by", "in" and "to" phrases after it, and the subject of a
// governing verb ("BLA staged a raid").
func (d *doc) nounEvent(s *sent, t int, e *evCand) {
	// Pre-modifiers.
	k := t - 1
	for ; k >= 0 && k >= t-7; k-- {
		if m, ok := s.mentAt(k); ok {
			switch {
			case d.possessive(s, m) && isActor(m):
				// "his arrest", "Rigi's execution": the possessor undergoes it.
				if e.typ == faultline.Arrest || e.typ == faultline.Extradition || e.typ == faultline.Killing ||
					e.typ == faultline.Designation {
					e.add(m, faultline.RoleTarget)
				} else {
					e.add(m, faultline.RoleAgent)
				}
			case m.typ == faultline.Location || m.typ == faultline.Country && modifierPlace(e):
				if e.loc < 0 {
					e.loc = m.ent
				}
			case isActor(m):
				e.add(m, faultline.RoleAgent)
			}
			k = m.i
			continue
		}
		tk := s.tok(k)
		if s.inDate(k) || tk.num || eventModifiers[tk.fold] ||
			strings.HasSuffix(tk.fold, "ed") && !preps[tk.fold] && !perpetrationVerbs[tk.fold] && !speechOnly[tk.fold] ||
			tk.fold == "long" || strings.HasSuffix(tk.fold, "ing") && k != t-1 {
			continue
		}
		// "air and drone strikes", "the Kerman and Moscow attacks"
		if tk.fold == "and" && k > 0 && k+1 < t && (eventModifiers[s.fold(k-1)] || s.at[k-1] >= 0) {
			continue
		}
		break
	}
	// "killed in a drone strike", "killed in December 2024 in a
	// bombing": the one killed is the target.
	kv := k - 1
	for kv >= 1 && s.inDate(kv) {
		kv--
	}
	if kv < k-1 && (s.fold(kv) == "in" || s.fold(kv) == "on") {
		kv--
	}
	if k >= 1 && kv >= 0 && (s.fold(k) == "in" || s.fold(k) == "by") && (s.fold(kv) == "killed" || s.fold(kv) == "died" ||
		s.fold(kv) == "wounded" || s.fold(kv) == "injured" || s.fold(kv) == "assassinated") {
		if m, ok := d.subjectLeft(s, kv, false); ok && m.typ == faultline.Person {
			e.add(m, faultline.RoleTarget)
		} else if m, ok := d.subjectAfterComma(s, t); ok && m.typ == faultline.Person {
			e.add(m, faultline.RoleTarget)
		}
	}
	// A governing verb: "the army staged a raid", "the group
	// responded with a declaration".
	if k >= 0 {
		v := k
		// "carried out hundreds of air and drone strikes"
		if s.fold(v) == "of" && (vagueCounts[s.fold(v-1)] > 0 || s.fold(v-1) == "series" || s.fold(v-1) == "wave" ||
			s.fold(v-1) == "number" || s.fold(v-1) == "string" || s.fold(v-1) == "spate") {
			v -= 2
			if s.fold(v) == "a" {
				v--
			}
		}
		if s.fold(v) == "with" || s.fold(v) == "for" || s.fold(v) == "out" {
			v--
		}
		if s.fold(v) == "responsibility" || s.fold(v) == "credit" { // "claimed responsibility for"
			v--
		}
		if v >= 0 && perpetrationVerbs[s.fold(v)] || v >= 1 && perpetrationVerbs[s.fold(v-1)] && s.fold(v) == "out" {
			if s.fold(v) == "out" {
				v--
			}
			e.gov = v
			if m, ok := d.subjectLeft(s, v, false); ok {
				for _, a := range d.listLeft(s, m) {
					e.add(a, faultline.RoleAgent)
				}
			}
		}
	}
	// Phrases after.
	h := t + 1
	if e.typ == faultline.Declaration && s.fold(h) == "of" && (s.fold(h+1) == "war" || s.fold(h+1) == "jihad") {
		h += 2
	}
	for ; h < s.n() && h <= t+10; h++ {
		if s.at[h] >= 0 {
			h = s.ms[s.at[h]].j
			continue
		}
		f := s.fold(h)
		switch f {
		case "with", "between":
			if e.typ != faultline.Agreement && e.typ != faultline.Clash {
				break
			}
			objs := d.objectsRight(s, h+1)
			for _, m := range objs {
				if isActor(m) && !d.demonymAdj(s, m) {
					e.add(m, faultline.RoleAgent)
				}
			}
			if len(objs) > 0 {
				h = objs[len(objs)-1].j
			}
			continue
		case "of", "on", "against", "by", "targeting", "upon":
			objs := d.objectsRight(s, h+1)
			for _, m := range objs {
				switch {
				case f == "by" && isActor(m):
					e.add(m, faultline.RoleAgent)
				case f == "of" && ofAgent[e.typ] && isActor(m):
					e.add(m, faultline.RoleAgent)
				case isActor(m) && !d.demonymAdj(s, m):
					e.add(m, faultline.RoleTarget)
				case isPlace(m) && e.loc < 0:
					e.loc = m.ent
				}
			}
			if len(objs) > 0 {
				h = objs[len(objs)-1].j
			}
			continue
		case "such", "as", "that", "the", "a", "an", "its", "their", "camps", "positions", "hideouts", "bases":
			continue
		}
		// "a suicide bombing claimed by ISKP", "an attack carried out
		// by the BLA": the participle hands on to its "by".
		if s.fold(h+1) == "by" && (f == "claimed" || f == "carried" || f == "perpetrated" || f == "staged" ||
			f == "mounted" || f == "launched" || f == "committed" || f == "conducted" || f == "organised" || f == "organized") ||
			f == "out" && s.fold(h+1) == "by" && s.fold(h-1) == "carried" {
			continue
		}
		if f == "in" || f == "near" || f == "at" || f == "outside" || f == "from" || f == "to" || f == "into" {
			break
		}
		if clauseBreaks[f] || preps[f] || tr(f) {
			break
		}
	}
	d.placeAndDestination(s, t, e)
}

// tr reports whether a word is itself an event trigger.
func tr(f string) bool { _, ok := evTriggers[f]; return ok }

// modifierPlace decides whether a country before an event noun is where it
// happened or who did it: before an attack, a clash or a killing it is the
// place ("the Kenya attacks"); before a strike, a raid, an arrest and the
// like it is the actor ("a U.S. drone strike").
func modifierPlace(e *evCand) bool {
	switch e.typ {
	case faultline.Attack, faultline.Clash, faultline.Killing:
		return true
	}
	return false
}

// placeAndDestination reads "in/near/at X" as the event's place and "to X"
// as the destination of an extradition or relocation.
func (d *doc) placeAndDestination(s *sent, t int, e *evCand) {
	for h := t + 1; h < s.n() && h <= t+24; h++ {
		f := s.fold(h)
		if s.at[h] >= 0 {
			h = s.ms[s.at[h]].j
			continue
		}
		if clauseBreaks[f] && f != "while" || h+1 < s.n() && strings.ContainsAny(gap(d.text, s.tok(h-1), s.tok(h)), ";:") {
			return
		}
		if h != t+1 && evTriggers[f].typ != "" && !eventModifiers[f] && evTriggers[f].typ != e.typ && f != "killing" &&
			e.typ != faultline.Extradition && e.typ != faultline.Relocation {
			return // another event's phrases
		}
		switch f {
		case "in", "near", "at", "outside", "inside", "across", "throughout", "around", "from", "into", "within", "off":
			objs := d.objectsRight(s, h+1)
			// "two attacks in quick succession sharpened US anger": a
			// place comes right after its preposition.
			if len(objs) > 0 && objs[0].i > h+3 && !containsSeq(s, h+1, objs[0].i, "of") {
				objs = nil
			}
			// "in Iran's Kerman": the possessive is skipped; prefer the
			// most specific place.
			for _, m := range objs {
				if !isPlace(m) {
					continue
				}
				// "in the 2017 Mogadishu truck bombing": the place of
				// another event.
				if n, ok := d.modifiedEvent(s, m.j+1); ok && n != t {
					continue
				}
				if f == "from" && (e.typ == faultline.Extradition || e.typ == faultline.Relocation || e.typ == faultline.Withdrawal) {
					if e.typ == faultline.Withdrawal && e.loc < 0 {
						e.loc = m.ent
					}
					continue
				}
				if e.loc < 0 || d.within(m.ent, e.loc) {
					e.loc = m.ent
				}
				break
			}
			if len(objs) > 0 {
				h = objs[len(objs)-1].j
			}
		case "to":
			if e.typ != faultline.Extradition && e.typ != faultline.Relocation {
				continue
			}
			for _, m := range d.objectsRight(s, h+1) {
				if e.typ == faultline.Relocation && isPlace(m) {
					e.add(m, faultline.RoleDestination)
					if e.loc < 0 {
						e.loc = m.ent
					}
				} else if isActor(m) || isPlace(m) {
					e.add(m, faultline.RoleDestination)
				}
			}
		}
	}
}

// eventDate is the date nearest the trigger in its sentence, resolved
// against the dated context when it has no year. Validity phrases ("since
// 2015") are not event dates.
func (d *doc) eventDate(s *sent, t int) DateExpr {
	return d.eventDateWithin(s, t, 1<<29)
}

// eventDateWithin is eventDate with a limit on how far, in tokens, the
// date may lie from the trigger: a noun with no verb of its own ("cited
// attacks that included …") takes only a date close to it.
func (d *doc) eventDateWithin(s *sent, t, maxDist int) DateExpr {
	best, bestDist := sentDate{}, 1<<30
	for n, dt := range s.dates {
		// "after 2001", "by 2015" bound an event's date; they do not give it.
		if p := s.fold(dt.i - 1); p == "after" || p == "before" || p == "by" || p == "prior" {
			continue
		}
		// "until 2020" ends a state, it dates no event; "since 2005"
		// dates the start of one ("has sanctioned LeT since 2005") only
		// when no closer date does.
		since := false
		if p := s.fold(dt.i - 1); p == "until" || p == "till" {
			continue
		} else if p == "since" || p == "the" && s.fold(dt.i-2) == "since" {
			since = !(t > dt.j && containsSeq(s, dt.j+1, t, "when"))
		}
		// "the 2017 Mogadishu truck bombing": a date inside another
		// event's noun phrase is that event's.
		if h, ok := d.modifiedEvent(s, dt.j+1); ok && h != t {
			continue
		}
		dist := dt.i - t
		lo, hi := t, dt.i
		if dist < 0 {
			dist = t - dt.j
			lo, hi = dt.j, t
		}
		// A date across ", and" belongs to the other clause: "appeared
		// around 2000, and Pakistan outlawed it in 2006"; each comma
		// crossed makes a date less likely the event's; "on 5 October"
		// after the trigger is the commonest way to date an event.
		for k := lo; k < hi; k++ {
			if strings.ContainsAny(s.gapAfter(d.text, k), ";:") {
				dist += 8 // another clause
			}
			if strings.Contains(s.gapAfter(d.text, k), ",") {
				dist += 2
				if s.fold(k+1) == "and" || s.fold(k+1) == "but" {
					dist += 6
				}
			}
		}
		if dt.i > t && s.fold(dt.i-1) == "on" {
			dist -= 4
		}
		if since {
			dist += 4
		}
		// "between November 2023 and January 2025": the start.
		if p := s.fold(dt.i - 1); (p == "and" || p == "to" || p == "until") && n > 0 {
			if q := s.fold(s.dates[n-1].i - 1); q == "between" || q == "from" {
				continue
			}
		}
		// Prefer a date before the trigger on ties ("In March 2025, …").
		if dist < bestDist || dist == bestDist && dt.i < t {
			best, bestDist = dt, dist
		}
	}
	if bestDist == 1<<30 || bestDist > maxDist {
		return DateExpr{}
	}
	return d.resolve(s, best)
}

// modifiedEvent finds the event noun that a modifier ending before token k
// belongs to: past names, numbers and modifier words ("2024 Kerman
// bombings", "Kerman and Moscow attacks", "U.S. drone strike").
func (d *doc) modifiedEvent(s *sent, k int) (int, bool) {
	for h := k; h < s.n() && h <= k+6; h++ {
		if h > 0 && strings.ContainsAny(s.gapAfter(d.text, h-1), ",;:()") {
			return 0, false
		}
		if m, ok := s.mentAt(h); ok {
			h = m.j
			continue
		}
		f := s.fold(h)
		if tr, ok := evTriggers[f]; ok && !tr.verb {
			return h, true
		}
		if !eventModifiers[f] && f != "and" || f == "of" || f == "the" || f == "a" || f == "an" {
			return 0, false
		}
	}
	return 0, false
}

// mergeEvents joins mentions of one real-world event: same type, dates
// that agree (one a prefix of the other, or one missing), and the same
// place or a shared participant.
func (d *doc) mergeEvents(evs []evCand) []evCand {
	var out []evCand
	for _, e := range evs {
		merged := false
		// "IS claimed the attack": a definite mention with no date or
		// place of its own refers to the last such event just before.
		if e.definite && e.date.Year == 0 && e.loc < 0 && len(out) > 0 {
			for n := len(out) - 1; n >= 0 && n >= len(out)-3; n-- {
				o := &out[n]
				if e.si-o.evidence[len(o.evidence)-1] > 2 {
					break
				}
				if o.typ == e.typ || violent(o.typ) && violent(e.typ) {
					for _, p := range e.parts {
						o.add(ment{ent: p.ent}, p.role)
					}
					if e.fat > o.fat {
						o.fat, o.low = e.fat, e.low
					}
					if o.evidence[len(o.evidence)-1] != e.si {
						o.evidence = append(o.evidence, e.si)
					}
					merged = true
					break
				}
			}
			if merged {
				continue
			}
		}
		for n := range out {
			o := &out[n]
			if o.typ != e.typ || !datesAgree(o.date, e.date) {
				continue
			}
			sameLoc := e.loc >= 0 && o.loc >= 0 && (e.loc == o.loc || d.within(e.loc, o.loc) || d.within(o.loc, e.loc))
			shared := false
			for _, p := range e.parts {
				for _, q := range o.parts {
					if p.ent == q.ent && (p.role == q.role) {
						shared = true
					}
				}
			}
			if e.loc >= 0 && o.loc >= 0 && !sameLoc {
				continue
			}
			// "The movement's first attack … came on 11 July 2010, when
			// suicide bombers struck crowds in Kampala": one sentence, one
			// day, one event.
			sameDay := e.si == o.evidence[len(o.evidence)-1] && e.date.Precision == PrecisionDay &&
				e.date.ISO() == o.date.ISO()
			// "An attack carried out by the BLA killed 12 soldiers in
			// Quetta in May 2024": the same sentence and date, and one
			// mention names nobody the other could contradict.
			sameDay = sameDay || e.si == o.evidence[len(o.evidence)-1] && e.date.Year != 0 && e.date.ISO() == o.date.ISO() &&
				(len(e.parts) == 0 || len(o.parts) == 0)
			if !sameLoc && !shared && !sameDay {
				continue
			}
			// Undated mentions join only on strong evidence: the very
			// same place, or two shared participants.
			if (o.date.Year == 0 || e.date.Year == 0) && !(sameLoc && e.loc == o.loc) && !sameDay {
				n := 0
				for _, p := range e.parts {
					for _, q := range o.parts {
						if p.ent == q.ent {
							n++
						}
					}
				}
				if n < 2 && !(len(e.parts) == 1 && len(o.parts) == 1) {
					continue
				}
			}
			// Two dated events of the same type with the same agent are
			// different events unless their dates agree exactly in
			// what both give.
			if o.date.Precision < e.date.Precision || o.date.Year == 0 {
				o.date = e.date
			}
			if e.loc >= 0 && (o.loc < 0 || d.within(e.loc, o.loc)) {
				o.loc = e.loc
			}
			for _, p := range e.parts {
				o.add(ment{ent: p.ent}, p.role)
			}
			if e.fat > o.fat {
				o.fat, o.low = e.fat, e.low
			}
			if o.evidence[len(o.evidence)-1] != e.si {
				o.evidence = append(o.evidence, e.si)
			}
			merged = true
			break
		}
		if !merged {
			out = append(out, e)
		}
	}
	return out
}

// datesAgree reports whether two dates can be the same day: one missing,
// or the coarser a prefix of the finer.
func datesAgree(a, b DateExpr) bool {
	if a.Year == 0 || b.Year == 0 {
		return true
	}
	x, y := a.ISO(), b.ISO()
	return strings.HasPrefix(x, y) || strings.HasPrefix(y, x)
}
