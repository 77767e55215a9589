package dictgen

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
)

// Paths of the source files under the shared folder.
const (
	unPath      = "data/un-sc-consolidated/consolidated.xml"
	sdnPath     = "data/ofac-sdn/2024-05-03-jackdwyer/sdn.csv"
	altPath     = "data/ofac-sdn/2022-01-listlookup/alt.csv"
	ucdpPath    = "data/ucdp-actors/ucdp-actor-221.csv"
	countryPath = "data/geonames/countryInfo.tsv"
)

// Source names, also the external-id schemes.
const (
	srcCurated = "curated"
	srcCountry = "iso3166"
	srcUN      = "un"
	srcOFAC    = "ofac"
	srcUCDP    = "ucdp"
)

// rec is one actor as one source describes it, before merging.
type rec struct {
	src  string
	id   string // the source's own id: QDe.161, 18647, 356, PK, or the curated key
	name string
	typ  faultline.EntityType
	// nameRank orders candidate display names; lower wins.
	nameRank int
	aliases  []string
	// keys are normalised forms that may merge this record with another
	// source's record of the same actor.
	keys []string
	ids  []faultline.ExternalID

	// Curated-only fields.
	curated       *curatedEntry
	caseSensitive []string
	country       string
	parent        string
}

var spaces = regexp.MustCompile(`\s+`)

func clean(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// stripNonLatin removes letters outside the Latin script. The extractor reads English prose, so original-script aliases (Arabic,
// Cyrillic) are not carried over.
func stripNonLatin(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			continue
		}
		if unicode.Is(unicode.Arabic, r) { // Arabic punctuation and marks
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// balance removes parentheses that have no partner.
func balance(s string) string {
	rs := []rune(s)
	keep := make([]bool, len(rs))
	var open []int
	for i, r := range rs {
		keep[i] = true
		switch r {
		case '(':
			open = append(open, i)
		case ')':
			if len(open) == 0 {
				keep[i] = false
			} else {
				open = open[:len(open)-1]
			}
		}
	}
	for _, i := range open {
		keep[i] = false
	}
	var b strings.Builder
	for i, r := range rs {
		if keep[i] {
			b.WriteRune(r)
		}
	}
	return clean(strings.ReplaceAll(b.String(), "()", ""))
}

var trailingParen = regexp.MustCompile(`^(.*?)\s*\(([^()]*)\)$`)

// acronymish reports whether s looks like a list's short form: one token of
// capitals, digits and hyphens, such as "TTP", "ISIL-K", "JAK-A", "JuA".
func acronymish(s string) bool {
	if s == "" || strings.ContainsAny(s, " ") || len(s) > 12 || dictionary.IsStopword(s) {
		return false
	}
	upper := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r), unicode.IsDigit(r), r == '-', r == '&':
		default:
			return false
		}
	}
	return upper >= 2
}

// splitName splits a list name such as "TEHRIK-E TALIBAN PAKISTAN (TTP)" or
// "HARAKAT UL-MUJAHIDIN / HUM" into the name and its short forms. A
// parenthesis that is not a short form ("(KENYA)") stays in the name.
func splitName(s string, isPlace func(string) bool) (name string, short []string) {
	s = clean(s)
	if m := trailingParen.FindStringSubmatch(s); m != nil && m[1] != "" {
		parts := strings.Split(m[2], ",")
		if p0 := strings.TrimSpace(parts[0]); acronymish(p0) && (isPlace == nil || !isPlace(p0)) {
			s = m[1]
			for _, p := range parts {
				if p = clean(p); p != "" {
					short = append(short, p)
				}
			}
		}
	}
	if i := strings.LastIndex(s, " / "); i > 0 {
		// "HARAKAT UL-MUJAHIDIN / HUM", "NEW PEOPLE'S ARMY / COMMUNIST
		// PARTY OF THE PHILIPPINES": the part after the slash is another
		// name of the same actor.
		short = append(short, strings.TrimSpace(s[i+3:]))
		s = s[:i]
	}
	return clean(s), short
}

// splitAlias turns one list alias cell into surface forms. UN cells can
// pack several forms: "Hay’at Tahrir al-Sham (HTS) (هيئة … (original
// script); Hay’at Tahrir al-Sham; …)".
func splitAlias(s string, isPlace func(string) bool) []string {
	s = clean(s)
	s = strings.ReplaceAll(s, "(original script)", ";")
	var out []string
	for _, p := range strings.Split(s, ";") {
		if strings.Contains(p, "sub-unit name") {
			continue
		}
		p = balance(clean(stripNonLatin(p)))
		p = strings.Trim(p, " \"'“”")
		if p == "" {
			continue
		}
		name, short := splitName(p, isPlace)
		if name != "" {
			out = append(out, name)
		}
		out = append(out, short...)
	}
	return out
}

// particles are kept in lower case inside a display name.
var particles = map[string]bool{
	"e": true, "i": true, "ul": true, "ud": true, "ur": true, "al": true, "el": true,
	"of": true, "the": true, "and": true, "in": true, "fi": true, "wa": true, "wal": true,
	"for": true, "on": true, "to": true, "de": true, "du": true, "des": true, "la": true,
	"le": true, "et": true, "ash": true, "ad": true, "bi": true, "li": true,
}

// displayCase turns an all-capital list name into display case. Names that
// already mix case are returned unchanged. Words in upper (acronyms) stay
// upper case; particles are lower case except at the start.
func displayCase(s string, upper map[string]bool) string {
	if strings.IndexFunc(s, unicode.IsLower) >= 0 {
		return s
	}
	if !strings.Contains(s, " ") && IsShort(s) {
		return s // an acronym such as "JTJ" or "TTP-JA"
	}
	var b strings.Builder
	first := true
	seg := func(w string) {
		if w == "" {
			return
		}
		core := strings.Trim(w, "().,'’\"")
		core = strings.TrimSuffix(strings.TrimSuffix(core, "’S"), "'S")
		switch {
		case upper[core]:
			if core != w && strings.HasPrefix(w, core) {
				b.WriteString(core + strings.ToLower(w[len(core):]))
			} else {
				b.WriteString(w)
			}
		case particles[strings.ToLower(core)] && !first:
			b.WriteString(strings.ToLower(w))
		default:
			rs := []rune(strings.ToLower(w))
			for i, r := range rs {
				if unicode.IsLetter(r) {
					rs[i] = unicode.ToUpper(r)
					break
				}
			}
			b.WriteString(string(rs))
		}
		first = false
	}
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' || r == '/' {
			seg(s[start:i])
			b.WriteRune(r)
			start = i + len(string(r))
		}
	}
	seg(s[start:])
	return b.String()
}

// aliasCase is displayCase for aliases, except that a single all-capital
// token of up to eight letters ("IRGCASF", "ISISWAP") is taken to be an
// acronym and kept as it is.
func aliasCase(s string, upper map[string]bool) string {
	if !strings.Contains(s, " ") && strings.IndexFunc(s, unicode.IsLower) < 0 {
		n := 0
		for _, r := range s {
			if unicode.IsLetter(r) {
				n++
			}
		}
		if n <= 8 && !dictionary.IsStopword(s) {
			return s
		}
	}
	return displayCase(s, upper)
}

// --- UN Security Council consolidated list ---

type unList struct {
	Entities    []unEntity     `xml:"ENTITIES>ENTITY"`
	Individuals []unIndividual `xml:"INDIVIDUALS>INDIVIDUAL"`
}

// unAlias is an ENTITY_ALIAS or INDIVIDUAL_ALIAS element.
type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unEntity struct {
	FirstName string    `xml:"FIRST_NAME"`
	ListType  string    `xml:"UN_LIST_TYPE"`
	Ref       string    `xml:"REFERENCE_NUMBER"`
	Aliases   []unAlias `xml:"ENTITY_ALIAS"`
}

type unIndividual struct {
	FirstName  string    `xml:"FIRST_NAME"`
	SecondName string    `xml:"SECOND_NAME"`
	ThirdName  string    `xml:"THIRD_NAME"`
	FourthName string    `xml:"FOURTH_NAME"`
	ListType   string    `xml:"UN_LIST_TYPE"`
	Ref        string    `xml:"REFERENCE_NUMBER"`
	Aliases    []unAlias `xml:"INDIVIDUAL_ALIAS"`
}

// lowQuality reports whether the UN marks an alias as QUALITY Low: weak
// aliases that the UN itself deems too unreliable for identification.
func (a unAlias) lowQuality() bool { return strings.EqualFold(clean(a.Quality), "low") }

func decodeUN(path string) (*unList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A plain decoder: Go's encoding/xml expands only the five predefined
	// entities and character references and never fetches or expands
	// DTD-declared entities, so there is no entity-expansion risk.
	var l unList
	if err := xml.NewDecoder(f).Decode(&l); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return &l, nil
}

// orgWords mark list entities that are charities, businesses or offices
// rather than fighting groups.
var orgWords = regexp.MustCompile(`(?i)\b(foundation|trust|charit\w*|society|exchange|company|ltd|committee|branch|hawala|organization|relief|heritage|association|offices?|institute)\b|^al furqan$|ta'awun`)

func readUN(path string, upper map[string]bool, isPlace func(string) bool) ([]*rec, error) {
	l, err := decodeUN(path)
	if err != nil {
		return nil, err
	}
	var out []*rec
	for _, e := range l.Entities {
		lt := clean(e.ListType)
		if lt != "Al-Qaida" && lt != "Taliban" {
			continue
		}
		name, short := splitName(e.FirstName, isPlace)
		for _, a := range short {
			upper[a] = true
		}
		r := &rec{src: srcUN, id: clean(e.Ref), nameRank: 2, typ: faultline.ArmedGroup}
		r.name = displayCase(name, upper)
		if orgWords.MatchString(name) {
			r.typ = faultline.Organization
		}
		r.aliases = append(r.aliases, short...)
		for _, a := range e.Aliases {
			// The entity records here only use a.k.a./f.k.a., but Low
			// aliases would be skipped for precision. Former names
			// (f.k.a.) are kept: reports use them.
			if a.lowQuality() {
				continue
			}
			for _, p := range splitAlias(a.Name, isPlace) {
				r.aliases = append(r.aliases, aliasCase(p, upper))
			}
		}
		r.ids = []faultline.ExternalID{{Scheme: srcUN, Value: r.id}}
		out = append(out, r)
	}
	return out, nil
}

// --- OFAC SDN ---

// headWords select SDGT entity rows that name armed groups rather than
// companies or charities.
var headWords = regexp.MustCompile(`(?i)\b(army|front|brigades?|battalions?|movement|lashkar|jaish|jaysh|harakat|harkat|tehrik|tehreek|jamaat|jama'at|mujahideen|mujahidin|liberation|islamic state|isil|isis|al-qa'ida|al qa'ida)\b`)

var akaRe = regexp.MustCompile(`^[afn]\.k\.a\. '(.*)'\.?$`)

func readCSV(path string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// The legacy files end with a 0x1A (Ctrl-Z) line.
		if len(row) == 1 && strings.Trim(row[0], "\x1a \r\n") == "" {
			continue
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func null(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

func readOFAC(sdn, alt string, upper map[string]bool, isPlace func(string) bool) ([]*rec, error) {
	rows, err := readCSV(sdn)
	if err != nil {
		return nil, err
	}
	alts, err := readAlt(alt)
	if err != nil {
		return nil, err
	}
	var out []*rec
	for _, row := range rows {
		if len(row) != 12 || null(row[2]) != "" { // entities have a null SDN_Type
			continue
		}
		programs := map[string]bool{}
		for _, p := range strings.Split(row[3], "] [") {
			programs[strings.Trim(p, "[] ")] = true
		}
		name, short := splitName(row[1], isPlace)
		if !programs["FTO"] && !(programs["SDGT"] && headWords.MatchString(name)) {
			continue
		}
		id := strings.TrimSpace(row[0])
		var aliases []string
		aliases = append(aliases, short...)
		for _, part := range strings.Split(null(row[11]), "; ") {
			if m := akaRe.FindStringSubmatch(strings.TrimSpace(part)); m != nil {
				aliases = append(aliases, m[1])
			}
		}
		aliases = append(aliases, alts[id]...)
		r := &rec{src: srcOFAC, id: id, nameRank: 3, typ: faultline.ArmedGroup}
		for _, a := range short {
			upper[a] = true
		}
		for _, a := range aliases {
			if !strings.Contains(a, " ") && IsShort(a) {
				upper[a] = true
			}
		}
		r.name = displayCase(name, upper)
		for _, a := range aliases {
			for _, p := range splitAlias(a, isPlace) {
				r.aliases = append(r.aliases, aliasCase(p, upper))
			}
		}
		r.ids = []faultline.ExternalID{{Scheme: srcOFAC, Value: id}}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i].id) < atoi(out[j].id) })
	return out, nil
}

// readAlt reads the SDN alias table (ent_num, alt_num, alt_type, alt_name,
// remarks) into the alias names of each ent_num, in file order.
func readAlt(path string) (map[string][]string, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	alts := map[string][]string{}
	for _, a := range rows {
		if len(a) >= 4 && null(a[3]) != "" {
			id := strings.TrimSpace(a[0])
			alts[id] = append(alts[id], null(a[3]))
		}
	}
	return alts, nil
}

// IsShort reports whether an all-capital token of a list is short enough
// (2–5 letters) to be an acronym rather than a word.
func IsShort(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2 && n <= 5
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// --- UCDP actor list ---

type ucdpActor struct {
	id, nameData, nameOrig, nameOrigFull, nameOrigFullEng, org string
}

func readUCDP(path string) ([]ucdpActor, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range []string{"ActorId", "NameData", "NameOrig", "NameOrigFull", "NameOrigFullEng", "Org"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: no column %s", path, c)
		}
	}
	get := func(row []string, c string) string {
		v := clean(row[col[c]])
		if strings.EqualFold(v, "n/a") {
			return ""
		}
		return v
	}
	var out []ucdpActor
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) {
			continue
		}
		out = append(out, ucdpActor{
			id: get(row, "ActorId"), nameData: get(row, "NameData"), nameOrig: get(row, "NameOrig"),
			nameOrigFull: get(row, "NameOrigFull"), nameOrigFullEng: get(row, "NameOrigFullEng"), org: get(row, "Org"),
		})
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i].id) < atoi(out[j].id) })
	return out, nil
}

// --- GeoNames countries ---

type country struct{ iso2, name string }

func readCountries(path string) (map[string]country, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]country{}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) < 5 {
			continue
		}
		out[f[0]] = country{iso2: f[0], name: clean(f[4])}
	}
	return out, nil
}
