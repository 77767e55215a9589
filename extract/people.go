package extract

import (
	"strings"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// findPersons adds people found through titles, roles, appositions, name
// honorifics, attribution ("according to …") and speech verbs.
func (d *doc) findPersons(si int) {
	st := d.sents[si]
	toks := st.toks
	for _, ch := range d.personRuns(st) {
		i, j := ch.s, ch.e
		// A title inside the run starts the name after it: "Interior
		// Minister Mohsin Naqvi" → "Mohsin Naqvi".
		titled := false
		// Sentence-initial common words are not part of a name ("A
		// Pakistani journalist …").
		if i == 0 && j > i && (d.lower[toks[i].fold] || sentenceOpeners[toks[i].fold]) && !titles[toks[i].fold] {
			i++
		}
		for k := j - 1; k >= i; k-- {
			if titles[toks[k].fold] && !nameHonorifics[toks[k].fold] && isSpaceGap(gap(d.text, toks[k], toks[k+1])) {
				i, titled = k+1, true
				// "Secretary of State Antony Blinken": skip the office.
				if i <= j && toks[i].fold == "of" {
					titled = false // the office, not the person, follows
					i++
					if i <= j && toks[i].fold == "the" {
						i++
					}
					if j-i >= 2 {
						i++
					}
				}
				break
			}
		}
		// "the American Kevin King": a leading demonym is a cue, not a name.
		demonym := false
		if !titled && j > i+1 && d.isDemonym(toks[i]) {
			i, demonym = i+1, true
		}
		// "Defence Minister", "Vice President": an office, not a name.
		if j > i && titles[toks[j].fold] && officeWords[toks[j-1].fold] {
			continue
		}
		// A name stops at a connector that is not a name particle:
		// "Ayesha Siddiqa of King's College" → "Ayesha Siddiqa".
		for k := i; k <= j; k++ {
			if !toks[k].cap && !lowerParticles[toks[k].fold] {
				j = k - 1
				break
			}
		}
		if i > j || nameWords(toks[i:j+1]) > 4 || (j == i && !titled) {
			continue
		}
		cue := ""
		strict := true
		switch {
		case titled, d.roleBefore(st, i):
			strict = false
		}
		if !d.nameLike(st, i, j, strict) {
			continue
		}
		switch {
		case titled:
			cue = "person.title"
		case nameHonorifics[toks[i].fold] && j > i:
			cue = "person.honorific"
		case d.roleBefore(st, i):
			cue = "person.role"
		case d.attributionBefore(st, i):
			cue = "person.attribution"
		case d.roleAfter(st, j):
			cue = "person.apposition"
		case d.ledBy(st, i):
			cue = "person.led-by"
		case j > i && d.hasNameParticle(st, i, j):
			cue = "person.particle"
		case demonym, j > i && i > 0 && d.isDemonym(st.toks[i-1]) && isSpaceGap(gap(d.text, toks[i-1], toks[i])):
			cue = "person.demonym"
		case j > i && d.x.given.Has(toks[i].fold) && !d.lower[toks[j].fold]:
			// "Ahmed Abdi Godane led the movement": a given name first.
			cue = "person.given-name"
		}
		if cue == "" {
			continue
		}
		d.add(cand{si: si, i: i, j: j, group: "p:" + d.fold(st, i, j), typ: faultline.Person, ref: -1, rule: cue, prio: prioPerson})
	}
}

// personRuns splits name chunks at "and": "the American Kevin King and
// the Australian Timothy Weeks" names two people.
func (d *doc) personRuns(st sentence) []chunk {
	var out []chunk
	for _, ch := range d.chunks(st) {
		s := ch.s
		for k := ch.s; k <= ch.e; k++ {
			if st.toks[k].fold != "and" || st.toks[k].cap {
				continue
			}
			if k > s {
				out = append(out, chunk{s, k - 1})
			}
			s = k + 1
			for s <= ch.e && st.toks[s].fold == "the" && !st.toks[s].cap {
				s++
			}
		}
		if s <= ch.e {
			out = append(out, chunk{s, ch.e})
		}
	}
	return out
}

func isSpaceGap(g string) bool { return g == " " || g == ". " }

func (d *doc) isDemonym(t token) bool {
	_, ok := d.x.lex.demonyms[t.fold]
	return ok && t.cap
}

// ledBy: "the faction led by Yunus Khalis".
func (d *doc) ledBy(st sentence, i int) bool {
	if i < 2 || st.toks[i-1].fold != "by" {
		return false
	}
	switch st.toks[i-2].fold {
	case "led", "headed", "founded", "commanded", "run", "directed":
		return true
	}
	return false
}

// hasNameParticle: "Osama bin Laden", "Abu Bakr al-Baghdadi".
func (d *doc) hasNameParticle(st sentence, i, j int) bool {
	for k := i + 1; k < j; k++ {
		switch st.toks[k].fold {
		case "bin", "ibn", "bint":
			return !st.toks[k].cap
		}
	}
	return st.toks[i].fold == "abu" && j > i
}

// nameLike rejects runs that are not people's names: known actors and
// places, acronyms, numbers, words the document also uses in lower case.
// With strict false (a title or role names the person), a family name that
// is also a group's name is allowed: "Sirajuddin Haqqani".
func (d *doc) nameLike(st sentence, i, j int, strict bool) bool {
	for k := i; k <= j; k++ {
		t := st.toks[k]
		if t.num || (t.upper && len(t.fold) > 1) {
			return false
		}
		if !t.cap {
			if !lowerParticles[t.fold] || k == i || k == j {
				return false
			}
			continue
		}
		if d.lower[t.fold] && !nameHonorifics[t.fold] {
			return false
		}
		if headLast[t.fold] != "" || headFirst[t.fold] != "" {
			return false
		}
		// "Adnan Abu Walid al-Sahrawi": a demonym after "al-" is a
		// family name.
		if _, dem := d.x.lex.demonyms[t.fold]; dem && !(k > i+1 && lowerParticles[st.toks[k-1].fold]) {
			return false
		}
	}
	// The whole run must not be a known actor or place.
	// A title or role makes a person of a name that is also a small town
	// ("President Obama"); without one, a known name is what the lexicon says.
	if m, ok := d.longest(st, i); ok && m.j >= j {
		if r := d.x.lex.refs[d.pickRef(m.entries)]; strict || !r.place || r.kind != gazetteer.KindCity || r.pop >= 1000000 {
			return false
		}
	}
	for k := i; k <= j; k++ {
		if m, ok := d.longest(st, k); ok {
			r := d.x.lex.refs[d.pickRef(m.entries)]
			if r.place && r.kind == gazetteer.KindCity || !strict && k > i && m.j == k && !r.place {
				continue
			}
			// "Abdul-Malik al-Houthi", "Ayman al-Zawahiri": a family
			// name after "al-" is a name even where it is also a
			// group's or a place's.
			if k > i+1 && m.j == j && lowerParticles[st.toks[k-1].fold] && st.toks[k-1].fold != "de" {
				continue
			}
			return false
		}
	}
	return true
}

// roleBefore: "TTP chief Noor Wali Mehsud", "its leader, Sanaullah
// Ghafari", "the Interior Minister, Mohsin Naqvi", "the chairman of the
// Pakistan Peoples Party (PPP), Bilawal Bhutto Zardari".
func (d *doc) roleBefore(st sentence, i int) bool {
	if i == 0 {
		return false
	}
	g := strings.Trim(gap(d.text, st.toks[i-1], st.toks[i]), " )]\"'’”")
	prev := st.toks[i-1]
	if titles[prev.fold] && (g == "" || g == ",") {
		return true
	}
	if g != "," {
		return false
	}
	// Comma apposition: a title word within the few tokens before the comma.
	for k := i - 1; k >= 0 && k >= i-10; k-- {
		if titles[st.toks[k].fold] {
			return true
		}
		if k < i-1 && strings.ContainsAny(gap(d.text, st.toks[k], st.toks[k+1]), ".;:") {
			return false
		}
	}
	return false
}

// attributionBefore: "according to Ayesha Siddiqa".
func (d *doc) attributionBefore(st sentence, i int) bool {
	return i >= 2 && st.toks[i-2].fold == "according" && st.toks[i-1].fold == "to"
}

// roleAfter: "Ahmed Rashid is a journalist", "Naqvi said",
// "Ghafari, a senior commander".
func (d *doc) roleAfter(st sentence, j int) bool {
	if j+1 >= len(st.toks) {
		return false
	}
	g := strings.TrimSpace(gap(d.text, st.toks[j], st.toks[j+1]))
	n := st.toks[j+1]
	if g == "" && speechVerbs[n.fold] {
		return true
	}
	// "X is a/an/the <role>", "X, a/an/the <role>", "X was a <role>".
	k := j + 1
	if g == "" && (n.fold == "is" || n.fold == "was" || n.fold == "as") {
		k++
	} else if g != "," {
		return false
	}
	if k < len(st.toks) && determiners[st.toks[k].fold] {
		for m := k + 1; m < len(st.toks) && m <= k+4; m++ {
			if titles[st.toks[m].fold] {
				return true
			}
		}
	}
	return false
}

// findSurnames links lone surnames (and first names of two-word names used
// alone) to people named in full elsewhere in the document.
func (d *doc) findSurnames() {
	surname := map[string]string{}
	for _, c := range d.cands {
		if c.typ != faultline.Person || c.j == c.i {
			continue
		}
		last := d.sents[c.si].toks[c.j].fold
		if g, ok := surname[last]; ok && g != c.group {
			surname[last] = "" // ambiguous: two people share it
			continue
		}
		surname[last] = c.group
	}
	covered := d.coverage()
	for si, st := range d.sents {
		for k, t := range st.toks {
			g := surname[t.fold]
			if g == "" || !t.cap || covered[t.s] {
				continue
			}
			// Part of a longer capitalised run is another name.
			if k+1 < len(st.toks) && st.toks[k+1].cap && joinable(gap(d.text, t, st.toks[k+1])) {
				continue
			}
			d.add(cand{si: si, i: k, j: k, group: g, typ: faultline.Person, ref: -1, rule: "coref.surname", prio: prioPerson + 1, weak: true})
		}
	}
}

// coverage marks the start offsets of tokens inside accepted candidates.
func (d *doc) coverage() []bool {
	if cap(d.sc.covered) < len(d.text) {
		d.sc.covered = make([]bool, len(d.text))
	}
	covered := d.sc.covered[:len(d.text)]
	clear(covered)
	for _, c := range d.cands {
		for _, t := range d.sents[c.si].toks[c.i : c.j+1] {
			covered[t.s] = true
		}
	}
	return covered
}

var determiners = setOf("a", "an", "the", "former", "senior", "its", "his", "their", "her")

// officeWords qualify a title to name an office: "Defence Minister".
var officeWords = setOf("defence", "defense", "interior", "foreign", "prime", "vice", "deputy", "finance", "home",
	"information", "chief", "army", "state", "federal", "provincial", "senior", "former", "acting", "general", "attorney")

// nameWords counts the words of a name, particles aside: "Adnan Abu Walid
// al-Sahrawi" has four.
func nameWords(toks []token) int {
	n := 0
	for _, t := range toks {
		if !lowerParticles[t.fold] || t.cap {
			n++
		}
	}
	return n
}
