package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/internal/dictgen"
)

// Sanctions lists: the UN Security Council consolidated list (XML) and the
// OFAC SDN list (legacy CSV). Every listed person, group and organisation
// becomes a reference entity with all its names as aliases and its list
// reference as an external id (scheme "un": the REFERENCE_NUMBER such as
// QDe.161; scheme "ofac": the ent_num). A record whose id the bundled
// dictionary carries takes the dictionary entry's key, name and aliases,
// so that the names the extractor finds in reports ("IS-K") resolve to the
// imported entity, and the store's resolution matches later mentions
// against every imported alias. Names are cleaned as the dictionary
// generator cleans them (internal/dictgen): display case, short forms
// split from "NAME (ACRONYM)", original-script forms dropped from aliases
// but kept from NAME_ORIGINAL_SCRIPT.
//
// The lists hold entities only, no claims: a listing is reference data.

// sanctionsBatch is the number of list records per batch.
const sanctionsBatch = 2000

// orgWords mark list entities that are charities, businesses or offices
// rather than fighting groups (as the dictionary generator decides).
var orgWords = regexp.MustCompile(`(?i)\b(foundation|trust|charit\w*|society|exchange|company|co\.|corporation|ltd|limited|inc|committee|branch|hawala|organization|relief|heritage|association|offices?|institute|bank|trading|shipping|group|llc|enterprises?|industr\w*)\b`)

// armedWords mark OFAC entity rows that name armed groups.
var armedWords = regexp.MustCompile(`(?i)\b(army|front|brigades?|battalions?|movement|lashkar|jaish|jaysh|harakat|harkat|tehrik|tehreek|jamaat|jama'at|mujahideen|mujahidin|liberation|islamic state|isil|isis|al-qa'ida|al qa'ida|taliban|network)\b`)

// --- UN Security Council consolidated list ---

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unRecord struct {
	DataID         string    `xml:"DATAID"`
	First          string    `xml:"FIRST_NAME"`
	Second         string    `xml:"SECOND_NAME"`
	Third          string    `xml:"THIRD_NAME"`
	Fourth         string    `xml:"FOURTH_NAME"`
	ListType       string    `xml:"UN_LIST_TYPE"`
	Ref            string    `xml:"REFERENCE_NUMBER"`
	ListedOn       string    `xml:"LISTED_ON"`
	OriginalScript string    `xml:"NAME_ORIGINAL_SCRIPT"`
	EntityAliases  []unAlias `xml:"ENTITY_ALIAS"`
	PersonAliases  []unAlias `xml:"INDIVIDUAL_ALIAS"`
}

// safeXML refuses XML that declares a document type with entities or
// external identifiers: Go's decoder never expands them, but a document
// that relies on them is not what it claims to be, and the refusal is
// clearer than a decoding error deep in the file.
func safeXML(tok xml.Token) error {
	dir, ok := tok.(xml.Directive)
	if !ok {
		return nil
	}
	s := strings.ToUpper(string(dir))
	if !strings.HasPrefix(strings.TrimSpace(s), "DOCTYPE") {
		return nil
	}
	switch {
	case strings.Contains(s, "<!ENTITY"):
		return faultline.Errorf(faultline.EINVALID, "the document type declares entities (<!ENTITY>): refused, entity expansion is not allowed")
	case strings.Contains(s, "SYSTEM") || strings.Contains(s, "PUBLIC"):
		return faultline.Errorf(faultline.EINVALID, "the document type refers to an external DTD or entity: refused, external entities are not allowed")
	}
	return nil
}

func readUNSC(ctx context.Context, in *input, res *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error {
	d := xml.NewDecoder(bytes.NewReader(in.data))
	d.Strict = true
	size := sanctionsBatch
	if o.BatchSize > 0 {
		size = o.BatchSize
	}
	bt := newBatcher(size, emit)
	upper := map[string]bool{}
	root := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return faultline.Errorf(faultline.EINVALID, "unsc %s: line %d: %w", in.name, line(in.data, d.InputOffset()), err)
		}
		if err := safeXML(tok); err != nil {
			return faultline.Errorf(faultline.EINVALID, "unsc %s: %w", in.name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !root {
			root = true
			if se.Name.Local != "CONSOLIDATED_LIST" {
				return faultline.Errorf(faultline.EINVALID, "unsc %s: root element <%s>: want <CONSOLIDATED_LIST>", in.name, se.Name.Local)
			}
			continue
		}
		if se.Name.Local != "INDIVIDUAL" && se.Name.Local != "ENTITY" {
			continue
		}
		at := line(in.data, d.InputOffset())
		var rec unRecord
		if err := d.DecodeElement(&rec, &se); err != nil {
			return faultline.Errorf(faultline.EINVALID, "unsc %s: line %d: %w", in.name, at, err)
		}
		if bt.b.Records == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		sum.Records++
		if e, ok := unEntity(&rec, se.Name.Local == "INDIVIDUAL", upper); !ok {
			sum.malformed(at, clean(rec.Ref), "record has no name or no REFERENCE_NUMBER")
		} else {
			bt.entity(res.actor(e))
			sum.Imported++
		}
		if err := bt.record(); err != nil {
			return err
		}
	}
	if !root {
		return faultline.Errorf(faultline.EINVALID, "unsc %s: no XML element found", in.name)
	}
	return bt.flush()
}

// unEntity builds the entity of a UN record.
func unEntity(rec *unRecord, person bool, upper map[string]bool) (faultline.ImportEntity, bool) {
	ref := clean(rec.Ref)
	var e faultline.ImportEntity
	if person {
		parts := nonEmpty(rec.First, rec.Second, rec.Third, rec.Fourth)
		e.Name = dictgen.DisplayCase(strings.Join(parts, " "), upper)
		e.Type = faultline.Person
	} else {
		name, short := dictgen.SplitName(rec.First)
		for _, a := range short {
			upper[a] = true
		}
		e.Name = dictgen.DisplayCase(name, upper)
		e.Type = faultline.Organization
		if lt := clean(rec.ListType); (lt == "Al-Qaida" || lt == "Taliban") && !orgWords.MatchString(name) {
			e.Type = faultline.ArmedGroup
		}
		for _, a := range short {
			e.Aliases = addAlias(e.Aliases, e.Name, a)
		}
	}
	if faultline.NormalizeName(e.Name) == "" || ref == "" {
		return e, false
	}
	e.Ref = "un:" + ref
	e.ExternalIDs = []faultline.ExternalID{{Scheme: "un", Value: ref}}
	for _, a := range append(rec.EntityAliases, rec.PersonAliases...) {
		for _, form := range dictgen.SplitAlias(a.Name) {
			e.Aliases = addAlias(e.Aliases, e.Name, dictgen.AliasCase(form, upper))
		}
	}
	if s := clean(rec.OriginalScript); s != "" {
		e.Aliases = addAlias(e.Aliases, e.Name, s)
	}
	return e, true
}

// line returns the 1-based line of a byte offset.
func line(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// --- OFAC SDN ---

// akaRe finds the aliases OFAC packs into Remarks: "a.k.a. 'BNC'".
var akaRe = regexp.MustCompile(`\b[afn]\.k\.a\. '([^']+)'`)

// ofacNull maps OFAC's null, "-0-", to "".
func ofacNull(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

// ofacTable reads one of the legacy CSVs: no header row, a fixed number of
// fields, a Ctrl-Z byte at the end.
func ofacTable(data []byte, fields int) *table {
	data = stripBOM(data)
	data = bytes.TrimRight(data, "\x1a\r\n")
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &table{r: r, header: make([]string, fields), cols: map[string]int{}}
	return t
}

// ofacAlias is one row of alt.csv.
type ofacAlias struct{ typ, name string }

func readOFAC(ctx context.Context, in *input, res *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error {
	// The alias table first: its rows join sdn.csv by ent_num.
	alts := map[string][]ofacAlias{}
	if data := in.extra["alt"]; data != nil {
		t := ofacTable(data, 5)
		for {
			rec, ln, err := t.next()
			if err == io.EOF {
				break
			}
			var re *rowErr
			if errors.As(err, &re) {
				sum.malformed(re.line, "alt.csv", "%s", re.msg)
				continue
			} else if err != nil {
				return err
			}
			name := ofacNull(rec[3])
			if name == "" || ofacNull(rec[0]) == "" {
				sum.malformed(ln, "alt.csv", "alias row without an ent_num or a name")
				continue
			}
			id := ofacNull(rec[0])
			alts[id] = append(alts[id], ofacAlias{ofacNull(rec[2]), name})
		}
	}
	addresses := 0
	if data := in.extra["add"]; data != nil {
		t := ofacTable(data, 6)
		for {
			_, _, err := t.next()
			if err == io.EOF {
				break
			}
			var re *rowErr
			if errors.As(err, &re) {
				sum.malformed(re.line, "add.csv", "%s", re.msg)
				continue
			} else if err != nil {
				return err
			}
			addresses++
		}
	}
	if addresses > 0 {
		sum.Excluded["add.csv address rows (addresses are not stored)"] = addresses
	}

	t := ofacTable(in.data, 12)
	size := sanctionsBatch
	if o.BatchSize > 0 {
		size = o.BatchSize
	}
	bt := newBatcher(size, emit)
	upper := map[string]bool{}
	seen := map[string]bool{}
	for {
		if bt.b.Records == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, ln, err := t.next()
		if err == io.EOF {
			break
		}
		sum.Records++
		var re *rowErr
		switch {
		case errors.As(err, &re):
			sum.malformed(re.line, "", "%s", re.msg)
		case err != nil:
			return err
		default:
			id := ofacNull(rec[0])
			seen[id] = true
			if e, reason := ofacEntity(rec, alts[id], upper); reason != "" {
				if e.Ref == "" {
					sum.malformed(ln, "", "%s", reason)
				} else {
					sum.exclude(reason)
				}
			} else {
				bt.entity(res.actor(e))
				sum.Imported++
			}
		}
		if err := bt.record(); err != nil {
			return err
		}
	}
	for id, as := range alts {
		if !seen[id] {
			sum.Excluded["alt.csv aliases of an ent_num not in sdn.csv (delisted)"] += len(as)
		}
	}
	return bt.flush()
}

// ofacEntity builds the entity of an SDN row; reason says why a row is
// left out (with e.Ref set) or malformed (e.Ref empty).
func ofacEntity(rec []string, alts []ofacAlias, upper map[string]bool) (e faultline.ImportEntity, reason string) {
	id := ofacNull(rec[0])
	rawName := ofacNull(rec[1])
	if id == "" || rawName == "" {
		return e, "SDN row without an ent_num or a name"
	}
	e.Ref = "ofac:" + id
	programs := map[string]bool{}
	for _, p := range strings.Split(rec[3], "] [") {
		programs[strings.Trim(p, "[] ")] = true
	}
	switch strings.ToLower(ofacNull(rec[2])) {
	case "individual":
		e.Type = faultline.Person
		// "ABU SAYYAF, Khadafi" is surname, given names.
		if last, first, ok := strings.Cut(rawName, ", "); ok {
			rawName = first + " " + last
		}
	case "":
		e.Type = faultline.Organization
		if programs["FTO"] || (programs["SDGT"] && armedWords.MatchString(rawName) && !orgWords.MatchString(rawName)) {
			e.Type = faultline.ArmedGroup
		}
	case "vessel", "aircraft":
		return e, "SDN " + strings.ToLower(ofacNull(rec[2])) + " (not an actor)"
	default:
		return e, "SDN type " + ofacNull(rec[2]) + " (not an actor)"
	}
	name, short := dictgen.SplitName(rawName)
	for _, a := range short {
		upper[a] = true
	}
	e.Name = dictgen.DisplayCase(name, upper)
	if faultline.NormalizeName(e.Name) == "" {
		return faultline.ImportEntity{}, "SDN row whose name is empty once cleaned"
	}
	for _, a := range short {
		e.Aliases = addAlias(e.Aliases, e.Name, a)
	}
	var forms []string
	for _, m := range akaRe.FindAllStringSubmatch(rec[11], -1) {
		forms = append(forms, m[1])
	}
	for _, a := range alts {
		forms = append(forms, a.name)
	}
	for _, f := range forms {
		if e.Type == faultline.Person {
			if last, first, ok := strings.Cut(f, ", "); ok {
				f = first + " " + last
			}
		}
		for _, p := range dictgen.SplitAlias(f) {
			e.Aliases = addAlias(e.Aliases, e.Name, dictgen.AliasCase(p, upper))
		}
	}
	e.ExternalIDs = []faultline.ExternalID{{Scheme: "ofac", Value: id}}
	return e, ""
}
