package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	faultline "github.com/faultline-osint/faultline"
)

// findAcronymDefinitions finds "Long Name (ACR)" in the whole document, so
// that acronyms used before or after their definition resolve alike.
func (d *doc) findAcronymDefinitions() {
	for si, st := range d.sents {
		toks := st.toks
		for k := 1; k < len(toks); k++ {
			g := gap(d.text, toks[k-1], toks[k])
			if !strings.HasSuffix(strings.TrimRight(g, " "), "(") {
				continue
			}
			// The acronym: one or two tokens closed by ")" ("ISKP", "IS-K").
			m := k
			for m+1 < len(toks) && m-k < 1 && joinable(gap(d.text, toks[m], toks[m+1])) {
				m++
			}
			for m >= k && !(m+1 == len(toks) && strings.HasPrefix(d.text[toks[m].e:st.e], ")") ||
				m+1 < len(toks) && strings.HasPrefix(gap(d.text, toks[m], toks[m+1]), ")")) {
				m--
			}
			if m < k {
				continue
			}
			acr := d.text[toks[k].s:toks[m].e]
			letters := faultline.CaseKey(acr)
			if !isAcronym(letters) {
				continue
			}
			start, ok := d.matchAcronym(toks, k-1, letters)
			if !ok {
				continue
			}
			d.defineAcronym(si, start, k-1, k, m, acr)
		}
	}
}

// isAcronym: 2–8 letters or digits with at least two capitals, and no
// run of three lower-case letters ("ISKP", "LeT", "HuJI", "IS-K").
func isAcronym(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 8 {
		return false
	}
	caps, lowRun := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			caps++
			lowRun = 0
		case unicode.IsLower(r):
			lowRun++
			if lowRun > 2 {
				return false
			}
		}
	}
	return caps >= 2
}

// matchAcronym aligns the acronym's letters with the initials of the words
// before it, right to left, letting connectors go unmatched. It returns the
// index of the first word of the long form.
func (d *doc) matchAcronym(toks []token, end int, letters string) (int, bool) {
	ls := []rune(strings.ToLower(letters))
	p := len(ls) - 1
	k := end
	start := -1
	for p >= 0 && k >= 0 && end-k < len(ls)+6 {
		if k < end && !joinable(gap(d.text, toks[k], toks[k+1])) {
			return 0, false
		}
		t := toks[k]
		first, _ := utf8.DecodeRuneInString(t.fold)
		switch {
		case first == ls[p]:
			// A word may give two letters when the acronym repeats its
			// capitals ("Al-Qaida" → "AQ" is two words; "TTP" is three).
			p--
			start = k
			k--
		case acronymSkips[t.fold] && !t.cap:
			k--
		default:
			return 0, false
		}
	}
	if p >= 0 || start < 0 || !toks[start].cap {
		return 0, false
	}
	return start, true
}

// defineAcronym records a definition: the long form [i, j] and the acronym
// [a, b] of sentence si become one entity.
func (d *doc) defineAcronym(si, i, j, a, b int, acr string) {
	st := d.sents[si]
	long := d.fold(st, i, j)
	if namedCategories[long] {
		return
	}
	// The dictionary may know the long form or the acronym.
	typ, refIdx, group := faultline.EntityType(""), int32(-1), ""
	if m, ok := d.longest(st, i); ok && m.j == j {
		refIdx = d.pickRef(m.entries)
	} else if m, ok := d.longest(st, a); ok && m.j == b {
		refIdx = d.pickRef(m.entries)
	}
	if refIdx >= 0 {
		r := d.x.lex.refs[refIdx]
		typ, group = r.typ, "k:"+r.key
	} else {
		typ = d.typeByHeadword(st, i, j)
		group = "a:" + long
	}
	rule := "acronym.definition"
	d.add(cand{si: si, i: i, j: j, group: group, typ: typ, ref: refIdx, rule: rule, prio: prioAcronym})
	d.add(cand{si: si, i: a, j: b, group: group, typ: typ, ref: refIdx, rule: rule, prio: prioAcronym, weak: true})
	if _, seen := d.acros[acr]; !seen {
		d.acros[acr] = group
	}
}

// typeByHeadword types an unknown long form by its head words, defaulting
// to organization.
func (d *doc) typeByHeadword(st sentence, i, j int) faultline.EntityType {
	if j > i+1 && st.toks[i].fold == "islamic" && st.toks[i+1].fold == "state" {
		return faultline.ArmedGroup
	}
	if t, ok := headLast[st.toks[j].fold]; ok {
		if stateHeads[st.toks[j].fold] && d.isStateModifier(st, i, j) {
			return faultline.GovernmentBody
		}
		return t
	}
	if t, ok := headFirst[st.toks[i].fold]; ok {
		return t
	}
	for k := j; k >= i; k-- {
		if t, ok := headLast[st.toks[k].fold]; ok && t != faultline.Location {
			return t
		}
	}
	return faultline.Organization
}

// findAcronymUses adds every later (or earlier) use of a defined acronym.
func (d *doc) findAcronymUses(si int) {
	if len(d.acros) == 0 {
		return
	}
	st := d.sents[si]
	for k, t := range st.toks {
		if !t.cap {
			continue
		}
		// Two-token acronyms ("IS-K") first.
		if k+1 < len(st.toks) && joinable(gap(d.text, t, st.toks[k+1])) {
			if g, ok := d.acros[d.text[t.s:st.toks[k+1].e]]; ok {
				d.add(cand{si: si, i: k, j: k + 1, group: g, ref: -1, rule: "acronym.use", prio: prioAcronym, weak: true})
				continue
			}
		}
		if g, ok := d.acros[d.raw(t)]; ok {
			d.add(cand{si: si, i: k, j: k, group: g, ref: -1, rule: "acronym.use", prio: prioAcronym, weak: true})
		}
	}
}
