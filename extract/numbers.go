package extract

import (
	"strconv"

	faultline "github.com/faultline-osint/faultline"
)

// numberWords are the cardinal words a death toll is written with.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// vagueCounts are words that give only a lower bound: "dozens" is at
// least two dozen.
var vagueCounts = map[string]int{"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}

// lowerBoundWords before a number make it a lower bound.
var lowerBoundWords = setOf("least", "more", "over", "upwards", "exceeding", "excess", "above")

// victimNouns may follow a toll: "killing 30 terrorists".
var victimNouns = setOf("people", "persons", "person", "civilians", "civilian", "soldiers", "soldier", "troops",
	"militants", "militant", "terrorists", "terrorist", "fighters", "fighter", "policemen", "police", "officers",
	"personnel", "passengers", "worshippers", "students", "children", "women", "men", "pilgrims", "workers",
	"members", "insurgents", "others", "security", "paramilitary", "hostages", "tourists", "guards",
	"servicemen", "marines", "sailors", "crew", "crewmembers", "attendees", "concertgoers", "labourers",
	"laborers", "villagers", "commuters", "shoppers", "bystanders", "nationals", "foreigners", "americans",
	"pakistanis", "afghans", "iranians", "chinese", "engineers", "doctors", "staff", "employees", "individuals",
	"victims", "lives", "of", "them", "including", "mostly", "mainly", "and", "at", "were", "wounding")

// deathVerbs after a count make it a toll: "54 people were killed".
var deathVerbs = setOf("killed", "dead", "died", "perished", "slain", "massacred", "murdered", "executed",
	"lost", "deaths", "fatalities", "dying", "killing")

// killVerbs before a count make it a toll: "killing 30", "left 12 dead".
var killVerbs = setOf("killing", "killed", "kills", "kill", "left", "leaving", "claimed", "claiming", "slew",
	"massacred", "executing", "executed", "murdering", "murdered")

// quantity reads a number at token k: digits ("1,200"), words ("thirty
// five", "a dozen"), vague plurals ("dozens") and a leading bound ("at
// least", "more than"). It returns the value, whether it is a lower bound
// and the token after the number.
type count struct {
	n    int
	low  bool
	next int
}

func (d *doc) quantity(s *sent, k int) (count, bool) {
	c := count{}
	// bounds
	switch s.fold(k) {
	case "at":
		if s.fold(k+1) == "least" {
			c.low, k = true, k+2
		}
	case "more", "over", "upwards", "above":
		c.low = true
		k++
		if s.fold(k) == "than" || s.fold(k) == "of" {
			k++
		}
	case "nearly", "almost", "about", "around", "some", "approximately", "roughly", "an", "estimated", "up":
		k++
		if s.fold(k) == "estimated" || s.fold(k) == "to" {
			k++
		}
	}
	if k >= s.n() || s.at[k] >= 0 {
		return c, false
	}
	t := s.tok(k)
	switch {
	case t.num:
		// "1,200": digits joined by a comma with no space.
		raw := d.raw(t)
		j := k
		for j+1 < s.n() && s.tok(j+1).num && gap(d.text, s.tok(j), s.tok(j+1)) == "," && len(s.tok(j+1).fold) == 3 {
			j++
			raw += s.tok(j).fold
		}
		// A year or a duration is not a toll: "2025", "36-minute".
		if j+1 < s.n() && gap(d.text, s.tok(j), s.tok(j+1)) == "-" {
			return c, false
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n > 100000 {
			return c, false
		}
		if n >= 1900 && n <= 2100 && j == k && !c.low {
			return c, false
		}
		c.n, c.next = n, j+1
		return c, true
	case t.fold == "a" && s.fold(k+1) == "dozen":
		c.n, c.next = 12, k+2
		return c, true
	case vagueCounts[t.fold] > 0:
		c.n, c.low, c.next = vagueCounts[t.fold], true, k+1
		if s.fold(k+1) == "of" {
			c.next++
		}
		return c, true
	}
	if n, ok := numberWords[t.fold]; ok {
		j := k
		// "thirty five", "thirty-five"
		if n >= 20 && n%10 == 0 && j+1 < s.n() {
			if m, ok := numberWords[s.fold(j+1)]; ok && m < 10 {
				n += m
				j++
			}
		}
		if s.fold(j+1) == "hundred" {
			n *= 100
			j++
		}
		c.n, c.next = n, j+1
		return c, true
	}
	return c, false
}

// fatalities finds death tolls in a sentence and gives each to the nearest
// violent event before it (or after it, when none is before).
func (d *doc) fatalities(s *sent, evs []evCand) {
	for k := 0; k < s.n(); k++ {
		if s.hot[k]&hotToll == 0 || s.at[k] >= 0 {
			continue
		}
		f := s.fold(k)
		var c count
		ok := false
		at := k
		switch {
		case killVerbs[f]:
			// "killing 30 terrorists", "left 12 dead"; but "militants
			// killed seven soldiers" is the toll of an event of its own,
			// which may not have made it to the list.
			if (f == "killed" || f == "kills" || f == "kill") && d.ownSubject(s, k) {
				own := false
				for _, e := range evs {
					own = own || e.tok == k && e.si == s.si
				}
				if !own {
					continue
				}
			}
			c, ok = d.quantity(s, k+1)
			if ok && (f == "left" || f == "leaving") && !deathVerbs[s.fold(c.next)] && !deathVerbs[s.fold(c.next+1)] {
				ok = false
			}
			if ok && (f == "claimed" || f == "claiming") && s.fold(c.next) != "lives" && s.fold(c.next+1) != "lives" {
				ok = false
			}
		case f == "toll":
			// "a death toll of 148", "the toll rose to 67"
			for h := k + 1; h < s.n() && h <= k+4; h++ {
				if c, ok = d.quantity(s, h); ok {
					break
				}
			}
		default:
			// "at least 54 people were killed", "dozens dead"
			c, ok = d.quantity(s, k)
			if !ok {
				continue
			}
			if k > 0 && (killVerbs[s.fold(k-1)] || s.fold(k-1) == "least" || s.fold(k-1) == "than") {
				ok = false // read from the verb or bound already
				break
			}
			h := c.next
			for h < s.n() && h <= c.next+6 && !deathVerbs[s.fold(h)] {
				f := s.fold(h)
				// "About 170 Afghans and 13 US service members were
				// killed": coordinated counts add up.
				if f == "and" {
					if c2, ok2 := d.quantity(s, h+1); ok2 {
						c.n += c2.n
						c.low = c.low || c2.low
						h = c2.next
						continue
					}
				}
				if !victimNouns[f] && !passiveAux[f] && f != "have" && f != "had" && f != "been" && f != "are" &&
					f != "reportedly" && f != "us" && f != "service" && !s.tok(h).cap {
					break
				}
				h++
			}
			ok = deathVerbs[s.fold(h)] && !(s.fold(h) == "lost" && s.fold(h+1) != "their")
		}
		if !ok {
			continue
		}
		if target := nearestViolent(evs, at); target != nil {
			if target.fat < 0 || c.n > target.fat {
				target.fat, target.low = c.n, c.low
			}
		}
		if c.next > k {
			k = c.next - 1
		}
	}
}

func nearestViolent(evs []evCand, k int) *evCand {
	var best *evCand
	bestDist := 1 << 30
	for n := range evs {
		e := &evs[n]
		switch e.typ {
		case faultline.Attack, faultline.Raid, faultline.Strike, faultline.Clash, faultline.Killing:
		default:
			continue
		}
		dist := k - e.tok
		if dist < 0 {
			dist = -dist + 8 // prefer an event before the toll
		}
		if dist < bestDist {
			best, bestDist = e, dist
		}
	}
	return best
}
