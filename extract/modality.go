package extract

import (
	"strings"

	faultline "github.com/faultline-osint/faultline"
)

// Cue words for how firmly a claim is made.
var (
	deniedCues = setOf("denied", "denies", "deny", "denying", "dismissed", "dismisses", "dismissing", "rejected",
		"rejects", "refuted", "refutes", "disputed", "disputes", "rebuffed", "repudiated", "disavowed")
	allegedCues = setOf("alleged", "allegedly", "alleges", "allege", "allegations", "allegation", "accused",
		"accuses", "accusing", "accusation", "accusations", "suspected", "purported", "purportedly", "implicated",
		"charged", "blamed", "blames")
	possibleCues = setOf("may", "might", "could", "possibly", "possible", "perhaps", "appears", "appear",
		"appeared", "seems", "seem", "seemed", "likely", "probably", "probable", "apparently", "suggests",
		"suggest", "suggested", "unconfirmed", "unclear", "potentially", "presumably", "speculated", "plausibly")
	reportedCues = setOf("reportedly", "reported", "reports", "said", "says", "say", "told", "tells", "noted",
		"note", "notes", "claimed", "claims", "claim", "stated", "states", "believe", "believed", "believes",
		"regarded", "considered", "described", "assessed", "assess", "estimated", "admitted", "admits",
		"acknowledged", "acknowledges", "argued", "argues", "wrote", "writes", "testified", "confirmed",
		"confirms", "announced", "insisted", "warned", "observed", "asserted", "maintained", "maintains",
		"contended", "concluded")
)

// modality reads the hedge around the trigger at token t: cue words before
// it in its clause, "according to X" anywhere in the sentence, and a
// closing "…, X said". It returns the modality, the index of the entity
// the claim is attributed to (or -1), and whether a negation right before
// the trigger cancels the claim.
func (d *doc) modality(s *sent, t int) (faultline.Modality, int, bool) {
	return d.modalityFrom(s, t, 0)
}

// irrealis words before an infinitive make what follows a wish, a plan or a
// demand rather than a fact.
var irrealis = setOf("action", "actions", "effort", "efforts", "attempt", "attempts", "attempted", "bid", "plan",
	"plans", "planned", "planning", "vowed", "vows", "pledged", "promised", "threatened", "threatens", "demanding",
	"demand", "demands", "demanded", "must", "should", "need", "needs", "urged", "urges", "urging", "asked",
	"wants", "want", "wanted", "seeks", "sought", "aim", "aims", "aimed", "intended", "intends", "trying", "tried",
	"failed", "fail", "refused", "refuses", "able", "unable", "ability", "capacity", "ought", "called", "calls",
	"pressure", "pressed", "order", "ordered", "steps", "measures", "resolve", "determined", "ready", "willing")

// irrealisAt reports whether the verb at t is wanted, ordered or planned
// rather than done: "action to dismantle", "must hold", "told its fighters
// to carry out".
func (d *doc) irrealisAt(s *sent, t int) bool {
	if f := s.fold(t - 1); f == "must" || f == "should" || f == "ought" {
		return true
	}
	// "information leading to his arrest"
	if (s.fold(t-1) == "to" || s.fold(t-2) == "to" && (s.fold(t-1) == "his" || s.fold(t-1) == "her" || s.fold(t-1) == "the" || s.fold(t-1) == "their")) &&
		(s.fold(t-2) == "leading" || s.fold(t-3) == "leading" || s.fold(t-2) == "lead" || s.fold(t-3) == "lead") {
		return true
	}
	if s.fold(t-1) != "to" {
		return false
	}
	for k := t - 2; k >= 0 && k >= t-5; k-- {
		f := s.fold(k)
		if irrealis[f] || f == "told" || f == "instructed" || f == "asked" || f == "urging" {
			return true
		}
		if s.at[k] >= 0 && k < t-3 || clauseBreaks[f] || strings.ContainsAny(s.gapAfter(d.text, k), ",;:") {
			return false
		}
	}
	return false
}

// passiveCues report without naming a speaker as their subject.
var passiveCues = setOf("regarded", "considered", "described", "believed", "estimated", "reported", "reportedly",
	"reports", "assessed")

// modalityFrom is modality with hedges read only from token lo on: a
// noun-phrase rule ("the alleged TTP commander X") takes the hedges of
// its own phrase, not of the whole sentence.
func (d *doc) modalityFrom(s *sent, t, lo int) (faultline.Modality, int, bool) {
	for k := t - 1; k >= 0 && k >= t-2; k-- {
		if s.at[k] >= 0 {
			break
		}
		if f := s.fold(k); f == "not" || f == "never" || f == "no" || f == "nt" || f == "neither" || f == "nor" ||
			f == "without" {
			return "", -1, true
		}
	}
	// Irrealis: "action to dismantle ISKP", "must hold Pakistan
	// accountable", "vowed to attack": wanted, not done.
	if d.irrealisAt(s, t) {
		return "", -1, true
	}
	mod, attr := faultline.Asserted, -1
	rank := func(m faultline.Modality) int {
		switch m {
		case faultline.Denied:
			return 4
		case faultline.Alleged:
			return 3
		case faultline.Possible:
			return 2
		case faultline.Reported:
			return 1
		}
		return 0
	}
	set := func(m faultline.Modality) {
		if rank(m) > rank(mod) {
			mod = m
		}
	}
	hedges := true // past a clause boundary only "according to" still counts
	for k := t - 1; k >= 0 && k >= t-30; k-- {
		if s.at[k] >= 0 {
			continue
		}
		if k+1 < s.n() && strings.Contains(gap(d.text, s.tok(k), s.tok(k+1)), ";") {
			break
		}
		f := s.fold(k)
		if clauseBreaks[f] {
			hedges = false
		}
		if s.tok(k).cap && k > 0 || k < lo {
			// "in May 2025" is no modal; cues outside the construction's
			// reach count only as attribution.
			if !(f == "according" && s.fold(k+1) == "to") {
				continue
			}
		}
		switch {
		case f == "according" && s.fold(k+1) == "to":
			set(faultline.Reported)
			if a, ok := d.source(s, k+2); ok {
				attr = a
			}
		case !hedges:
		case deniedCues[f]:
			set(faultline.Denied)
			if m, ok := d.subjectLeft(s, k, false); ok && attr < 0 {
				attr = m.ent
			}
		case allegedCues[f]:
			set(faultline.Alleged)
			if f == "accused" || f == "accuses" || f == "blamed" || f == "blames" {
				if m, ok := d.subjectLeft(s, k, false); ok && attr < 0 && !d.passiveBefore(s, k) {
					attr = m.ent
				}
			}
		case possibleCues[f]:
			// "appeared around 2000" is no hedge; "appears to be" is.
			if strings.HasPrefix(f, "appear") || strings.HasPrefix(f, "seem") {
				if nx := s.fold(k + 1); nx != "to" && nx != "that" && nx != "likely" && nx != "unlikely" && nx != "increasingly" {
					break
				}
			}
			set(faultline.Possible)
		case (f == "maintains" || f == "maintained" || f == "states" || f == "claims" || f == "notes" || f == "reports" ||
			f == "found" || f == "determined") && s.fold(k+1) != "that":
			// "maintains links with", "the claims", "reports of":
			// no speech without a clause.
		case reportedCues[f]:
			// "X said that …", "Experts note that …"; a passive cue
			// ("widely regarded by experts as") names its source only
			// through "by".
			set(faultline.Reported)
			if attr >= 0 {
				break
			}
			by := k + 1
			for by < s.n() && strings.HasSuffix(s.fold(by), "ly") {
				by++
			}
			if s.fold(by) == "by" {
				if a, ok := d.source(s, by+1); ok {
					attr = a
				}
			} else if !passiveCues[f] && !d.passiveBefore(s, k) {
				if m, ok := d.subjectLeft(s, k, false); ok && m.typ != faultline.Location {
					attr = m.ent
				}
			}
		}
	}
	// A closing attribution: "…, according to the UN" or "…, officials said."
	for k := t + 1; k < s.n(); k++ {
		if s.at[k] >= 0 {
			continue
		}
		f := s.fold(k)
		if f == "according" && s.fold(k+1) == "to" {
			set(faultline.Reported)
			if a, ok := d.source(s, k+2); ok {
				attr = a
			}
			break
		}
		if (f == "said" || f == "says" || f == "claimed" || f == "reported" || f == "alleged") && k >= s.n()-3 {
			if f == "alleged" {
				set(faultline.Alleged)
			} else {
				set(faultline.Reported)
			}
			if m, ok := s.mentAt(k - 1); ok && attr < 0 {
				attr = m.ent
			}
			break
		}
	}
	return mod, attr, false
}

// source finds the source named after "according to" or "by": a person
// first ("Ayesha Siddiqa of SOAS" is the person), else the first
// actor.
func (d *doc) source(s *sent, k int) (int, bool) {
	for h := k; h < s.n() && h < k+5; h++ {
		if m, ok := s.mentAt(h); ok {
			if m.typ == faultline.Location {
				return 0, false
			}
			return m.ent, true
		}
	}
	return 0, false
}

// validity reads the time span of a tie from "since 2015", "until 2020",
// "from 2015 to 2019" and "between 2015 and 2019" in the trigger's
// sentence.
func (d *doc) validity(s *sent) (from, to string) {
	for n, dt := range s.dates {
		prev := s.fold(dt.i - 1)
		iso := d.resolve(s, dt).ISO()
		if iso == "" {
			continue
		}
		switch prev {
		case "since":
			from = iso
		case "until", "till", "through":
			to = iso
		case "from", "between":
			if n+1 < len(s.dates) {
				next := s.dates[n+1]
				if mid := s.fold(next.i - 1); mid == "to" || mid == "and" || mid == "until" || mid == "through" {
					from, to = iso, d.resolve(s, next).ISO()
				}
			}
		}
	}
	return from, to
}
