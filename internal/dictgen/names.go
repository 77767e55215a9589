package dictgen

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
)

// NamesOptions says where the given-name generator's inputs are.
type NamesOptions struct {
	// Shared is the shared folder holding data/ (UN and OFAC lists).
	Shared string
	// Log, if set, receives every candidate left out and why.
	Log io.Writer
}

// NamesStats counts what a given-name run read, kept and left out.
type NamesStats struct {
	// Records counts the individual records read per source (un, ofac).
	Records map[string]int
	// Candidates counts the distinct folded tokens seen in a given-name
	// position.
	Candidates int
	// Dropped counts the candidates left out, by reason.
	Dropped map[string]int
	// Names is the number of names written.
	Names int
}

// Reasons a candidate token is not a given name, as RejectGivenName
// returns them and NamesStats.Dropped counts them.
const (
	RejectShape      = "shorter than 3 letters or not a Latin word"
	RejectParticle   = "name particle or title"
	RejectPatronymic = "patronymic"
	RejectCommon     = "common word"
	RejectCountry    = "country name or demonym"
	RejectRare       = "fewer than 2 records and not a UN first name"
)

// minGivenNameRecords is how many list records must name a token in a
// given-name position, unless the UN lists it as a first name.
const minGivenNameRecords = 2

// BuildGivenNames runs the generator and returns the bytes of
// dictionary/data/given-names.txt: one folded name a line, sorted.
func BuildGivenNames(opts NamesOptions) ([]byte, *NamesStats, error) {
	names, st, err := GenerateGivenNames(opts)
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes(), st, nil
}

// GenerateGivenNames reads the individual records of the UN consolidated
// list and the OFAC SDN list (with its alias table) and returns, sorted,
// the folded tokens that stand in a given-name position: FIRST_NAME of a UN
// record, the middle name fields before its last, the part after the comma
// of an OFAC "LAST, First Middle" name, and the same of every alias.
// A token is kept when at least two records give it, or when it is a UN
// first name, and RejectGivenName does not reject it.
func GenerateGivenNames(opts NamesOptions) ([]string, *NamesStats, error) {
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	data := func(p string) string { return filepath.Join(opts.Shared, filepath.FromSlash(p)) }
	st := &NamesStats{Records: map[string]int{}, Dropped: map[string]int{}}
	t := &nameTally{records: map[string]int{}, unFirst: map[string]bool{}}

	un, err := decodeUN(data(unPath))
	if err != nil {
		return nil, nil, fmt.Errorf("un list: %w", err)
	}
	st.Records[srcUN] = t.addUN(un.Individuals)

	rows, err := readCSV(data(sdnPath))
	if err != nil {
		return nil, nil, fmt.Errorf("ofac sdn: %w", err)
	}
	alts, err := readAlt(data(altPath))
	if err != nil {
		return nil, nil, fmt.Errorf("ofac alt: %w", err)
	}
	st.Records[srcOFAC] = t.addOFAC(rows, alts)

	cands := make([]string, 0, len(t.records))
	for tok := range t.records {
		cands = append(cands, tok)
	}
	slices.Sort(cands)
	st.Candidates = len(cands)
	var names []string
	for _, tok := range cands {
		why, err := RejectGivenName(tok)
		if err != nil {
			return nil, nil, err
		}
		if why == "" && t.records[tok] < minGivenNameRecords && !t.unFirst[tok] {
			why = RejectRare
		}
		if why != "" {
			st.Dropped[why]++
			logf("drop %s (%d records): %s", tok, t.records[tok], why)
			continue
		}
		names = append(names, tok)
	}
	st.Names = len(names)
	return names, st, nil
}

// nameTally counts, per folded token, the records that give it in a
// given-name position.
type nameTally struct {
	records map[string]int
	// unFirst holds the tokens of UN first-name fields, which count on
	// their own: the UN list splits names into fields by hand.
	unFirst map[string]bool
}

// add counts one record's given-name tokens once each.
func (t *nameTally) add(toks map[string]bool) {
	for tok := range toks {
		t.records[tok]++
	}
}

// addUN tallies the UN INDIVIDUAL records and returns how many it read.
//
// The UN splits a name into FIRST_NAME … FOURTH_NAME. FIRST_NAME is the
// given name; in Arabic, Afghan and African names the fields after it are
// the father's and grandfather's given names, and the last field is the
// family name, tribe or nisba ("AL-ZAWAHIRI"), so it is left out unless it
// is the only field. The DPRK list writes Korean names family name first:
// there FIRST_NAME is the family name and the fields after it the given name.
func (t *nameTally) addUN(inds []unIndividual) int {
	n := 0
	for _, ind := range inds {
		var fields []string
		for _, f := range []string{ind.FirstName, ind.SecondName, ind.ThirdName, ind.FourthName} {
			if f = clean(f); f != "" {
				fields = append(fields, f)
			}
		}
		if len(fields) == 0 {
			continue
		}
		n++
		familyFirst := clean(ind.ListType) == "DPRK" && len(fields) > 1
		rec := map[string]bool{}
		for i, f := range fields {
			first := i == 0
			switch {
			case familyFirst && i == 0:
				continue
			case familyFirst:
				first = true
			case i == len(fields)-1 && i > 0:
				continue
			}
			for _, tok := range nameTokens(f) {
				rec[tok] = true
				if first {
					t.unFirst[tok] = true
				}
			}
		}
		for _, a := range ind.Aliases {
			if a.lowQuality() {
				continue // nicknames and guesses: "Mullah Radio", "Salih the Mauritanian"
			}
			for _, form := range aliasForms(a.Name) {
				for _, tok := range givenTokens(form, familyFirst) {
					rec[tok] = true
				}
			}
		}
		t.add(rec)
	}
	return n
}

// addOFAC tallies the sdn.csv rows of type "individual" with their alt.csv
// aliases and returns how many records it read. Aliases of delisted
// records, whose ent_num is not in sdn.csv, are left out: their type is
// unknown.
func (t *nameTally) addOFAC(rows [][]string, alts map[string][]string) int {
	n := 0
	for _, row := range rows {
		if len(row) != 12 || strings.TrimSpace(row[2]) != "individual" {
			continue
		}
		n++
		rec := map[string]bool{}
		for _, form := range append([]string{row[1]}, alts[strings.TrimSpace(row[0])]...) {
			for _, tok := range givenTokens(form, false) {
				rec[tok] = true
			}
		}
		t.add(rec)
	}
	return n
}

// nameTokens folds s into tokens the way the extractor folds words: the
// runs of letters and digits of faultline.NormalizeName. Letters outside
// the Latin script are dropped first, and so is each word that follows an
// Arabic article: "al-Zawahiri", "Salah al-Din" and "Zia-ul-Haq" end in a
// family name, nisba or second half of a compound, not a given name.
func nameTokens(s string) []string {
	toks := strings.Fields(faultline.NormalizeName(stripNonLatin(s)))
	out := make([]string, 0, len(toks))
	for i, tok := range toks {
		if i > 0 && articles[toks[i-1]] {
			continue
		}
		out = append(out, tok)
	}
	return out
}

// articles are the transliterations of the Arabic article in list names.
var articles = setOf("al el ul ud ur ash ad as ar at az")

// givenTokens returns the tokens of one name form that stand in a
// given-name position: after the comma of "LAST, First Middle"; otherwise
// all but the family name, which is the last token, or the first when
// familyFirst is set. A single word says nothing about its position.
func givenTokens(form string, familyFirst bool) []string {
	if i := strings.IndexByte(form, ','); i >= 0 {
		return nameTokens(form[i+1:])
	}
	toks := nameTokens(form)
	switch {
	case len(toks) < 2:
		return nil
	case familyFirst:
		return toks[1:]
	default:
		return toks[:len(toks)-1]
	}
}

var parenthesised = regexp.MustCompile(`\([^()]*\)`)

// aliasForms splits a UN alias cell into name forms. Cells may pack several
// forms separated by semicolons, and add notes in parentheses ("(birth
// name)", "(previously listed as)"), which are dropped, unless all that is
// outside the parentheses is original script: "عبدالله السندي (Abdullah
// Sindhi)".
func aliasForms(cell string) []string {
	s := balance(clean(stripNonLatin(cell)))
	outer := clean(parenthesised.ReplaceAllString(s, " "))
	if strings.IndexFunc(outer, unicode.IsLetter) < 0 {
		outer = clean(strings.NewReplacer("(", ";", ")", ";").Replace(s))
	}
	var out []string
	for _, p := range strings.Split(outer, ";") {
		if p = strings.Trim(clean(p), ` "'“”`); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// RejectGivenName reports why the folded token tok cannot be a given name,
// or "" if it can: it is shorter than three letters or not a Latin word, a
// name particle or title, a patronymic, a common English word or
// capitalised non-name, or a country name or demonym of the gazetteer. The
// curated list is held to the same rules.
func RejectGivenName(tok string) (string, error) {
	countries, err := countryWords()
	if err != nil {
		return "", err
	}
	switch {
	case utf8.RuneCountInString(tok) < 3 || strings.IndexFunc(tok, notLatinLower) >= 0:
		return RejectShape, nil
	case nameParticles[tok]:
		return RejectParticle, nil
	case isPatronymic(tok):
		return RejectPatronymic, nil
	case nameStopwords[tok] || dictionary.IsStopword(tok):
		return RejectCommon, nil
	case countries[tok]:
		return RejectCountry, nil
	}
	return "", nil
}

func notLatinLower(r rune) bool {
	return !unicode.IsLetter(r) || !unicode.Is(unicode.Latin, r) || unicode.IsUpper(r)
}

// countryWords are the names, aliases and demonyms of the gazetteer's
// countries ("jordan", "chad", "afghan"), and the first words of those of
// several words ("hong" of Hong Kong, "saudi"): a given name there would
// start a person's name at the country's. Names of cities and regions are
// not in it: many given names are also the names of towns.
var countryWords = sync.OnceValues(func() (map[string]bool, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	out := map[string]bool{}
	for _, p := range g.Places() {
		if p.Kind != gazetteer.KindCountry {
			continue
		}
		for _, n := range slices.Concat([]string{p.Name}, p.Aliases, p.Demonyms) {
			if toks := strings.Fields(faultline.NormalizeName(n)); len(toks) > 0 {
				out[toks[0]] = true
			}
		}
	}
	return out, nil
})

// patronymicSuffixes end the Russian, Ukrainian and Belarusian
// patronymics that OFAC writes among the given names ("Andrey
// Leonidovich"); they follow a given name but never start one.
var patronymicSuffixes = []string{"ovich", "evich", "avich", "ovych", "evych", "ovna", "evna", "ivna", "ichna", "euna", "auna"}

func isPatronymic(tok string) bool {
	switch tok {
	case "ogly", "ogli", "oglu", "kyzy", "qizi", "gizi", // Turkic "son of", "daughter of"
		"ilyich": // "Ilyich"; "Ilich" is also a given name
		return true
	}
	for _, s := range patronymicSuffixes {
		if len(tok) >= len(s)+2 && strings.HasSuffix(tok, s) {
			return true
		}
	}
	return false
}

// nameParticles are the connectors and titles inside list names. The
// extractor reads the titles ("Mullah", "Haji", "Sheikh") as person cues of
// their own and the connectors ("al", "bin") as parts of a name, so neither
// is a given name. "abu", "abd", "abdul" and "abdel" are not here: they
// start Arabic given names ("Abu Bakr", "Abdul Ghani") and are kept.
var nameParticles = setOf(`al el ul ud ur ad as ash bin ibn bint binti ben ould wuld ag abi
	de del della der di da dos das du des la le los las van von ten ter
	mr mrs ms dr doctor prof mister sir lord lady
	haji hajji hadji hajj haj alhaji alhaj alhajji hafiz hafez khawaja khwaja
	mullah mulla molla mollah mollo akhund akhond akhundzada
	maulana moulana mawlana maulvi moulvi maulavi mawlawi mawlavi molvi mawlvi
	mufti qari kari qazi qadi allama sheikh sheik shaikh shaykh shekh cheikh
	syed sayed sayyid sayyed seyed seyyed sayid
	sardar nawab pir mian malik khan col
	imam emir amir commander commandant general colonel captain major
	ustad ustaz ustadh ustadz engineer eng mohandis muhandis
	sahib sidi naib wazir mzee pahlawan chaudhry chaudhary choudhry daw mas walad
	ullah uddin uddeen eddin eddine eldin deen din billah tul`)

// nameStopwords are common English words and capitalised non-names that
// turn up in given-name positions of the lists (from descriptive aliases,
// notes, Burmese and Korean names that are also English words) or that
// report prose capitalises: months (with Ramadan), days, "Christian",
// "Roman". A person recogniser must not read "Said" or "Young" as the start
// of a name. The last line holds names the lists give in a given-name
// position that reports use otherwise: the city of Cali, the Haqqani
// network, the Noorzai tribe, the Memon community.
var nameStopwords = setOf(`
	the and for with from into not but nor yet one two three first second third
	new old big great little good best real true all any each other same
	said says say see also only just well about after before over under upon amid
	born known called aka fka nka alias previously listed name names number identity false
	son daughter wife brother sister father mother widow uncle nephew dad papa man
	bid far fared gun lased mile saw sop than tin ton win won young song sang lung chin hun bong rim
	innocent christian muslim salaam roman
	united state states national nation international army front islamic
	islam group company limited ltd inc corp corporation trading holding holdings
	bank office ministry council committee party movement union republic
	kingdom federation organisation organization foundation trust society
	province district city town village street road region area zone sector
	north south east west northern southern eastern western central
	january february march april may june july august september october november december
	jan feb mar apr jun jul aug sep sept oct nov dec ramadan ramazan ramzan muharram
	monday tuesday wednesday thursday friday saturday sunday
	sun moon star day night year month week
	god allah lord saint santa san holy
	iii viii
	jihad mujahid mujahideen mujahidin martyr martyrs
	black white red green blue brown gray grey
	cali haqqani noorzai memon`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
