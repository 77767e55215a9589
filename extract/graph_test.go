package extract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	faultline "github.com/faultline-osint/faultline"
)

// graphSeeds are sentences with relations and events, and degenerate texts
// around them; FuzzExtract starts from them and TestGraphInvariants checks
// them.
var graphSeeds = []string{
	"The Northern Liberation Front (NLF) said it carried out the bombing in Karachi on 3 May 2024 that killed 12 people.",
	"According to police, the Sindhu Defence Army is based in Sukkur and gets weapons from Iran.",
	"Pakistani troops raided a TTP hideout in North Waziristan in March 2023, killing four militants.",
	"Iran denied backing Jaish al-Adl, which Pakistan accused of attacking a border post near Saravan.",
	"A US drone strike killed Ayman al-Zawahiri, the leader of al-Qaeda, in Kabul on 31 July 2022.",
	"In 2019 the State Department designated the Baloch Liberation Army a terrorist organisation.",
	"Islamabad extradited two suspects to China in 2021; Beijing thanked it.",
	"The group may have moved to Kunar province, officials said, and it possibly allied with Lashkar-e-Taiba.",
	"Hafiz Gul Bahadur, who leads his own faction, is a member of the TTP shura, Dawn reported.",
	"Quetta lies in Balochistan. The BLA is active in Balochistan and hostile to Pakistan.",
	"Gunmen attacked a bus in Mastung on 2024-02-30, killing at least -3 and wounding dozens.",
	// A very long sentence.
	strings.Repeat("ISKP attacked Pakistan and the TTP supported the BLA in Quetta and ", 120) + "then it ended.",
	// Tables of numbers.
	"Year | Attacks | Killed | Wounded\n2021 | 14 | 22 | 1,204\n2022 | 17 | 31 | 990\n2023 | 9 | 0 | 12\n2024 | 30 | 15,000 | -4\n",
	"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 2021 2022 2023 12/03/2024 3.5 1e9 99999999999999999999",
	// OCR noise.
	"Th e I S K P a tt ac ked Q uet ta on l2 Ma rch 2O25 , kil1ing 3O . Pak istan' s arrny rai ded Ba1ochistan",
	"ISKP\u00adattacked\u200bQuetta\ufeffon 12\u00a0March 2025, killing 30.\x00\x01 BLA",
	// No verbs.
	"ISKP. Pakistan. Taliban. Balochistan. Iran. TTP, BLA, LeT, JeM. March 2025. 30 dead.",
	"killed killed killed attacked raided in on by of the, according to, denied.",
	"March 2024 2025-13-45 31 February 2023 the 1990s late 2018 since 2001",
	// Invalid UTF-8 around entities and triggers.
	"The BLA \xff attacked \xfe Quetta \xc3 on 12 March 2025, killing 30.",
}

var isoDate = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// validDate reports whether d is an ISO date of 4, 7 or 10 characters that
// names a real year, month or day.
func validDate(d string) bool {
	if !isoDate.MatchString(d) {
		return false
	}
	_, err := time.Parse("2006-01-02"[:len(d)], d)
	return err == nil
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// compiledSchema is ../shared/schema/extraction-v1.schema.json compiled once,
// or nil when ../shared is absent. Unlike shared it does not skip: the
// other checks still run without the schema.
func compiledSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	schemaOnce.Do(func() {
		for _, base := range []string{"../../shared", "../shared"} {
			p := filepath.Join(base, "schema/extraction-v1.schema.json")
			if _, err := os.Stat(p); err == nil {
				schema, schemaErr = jsonschema.NewCompiler().Compile(p)
				return
			}
		}
	})
	if schemaErr != nil {
		tb.Fatalf("compile schema: %v", schemaErr)
	}
	return schema
}

// checkGraph asserts what must hold of the relations and events of any
// extraction of text: the JSON validates against the schema; every
// reference names an entity of the output; predicates suit the types they
// join; types, roles and modalities are in their vocabularies; dates are
// real ISO dates; death tolls are not negative; and every evidence span is
// the code-point slice of the text at its offsets.
func checkGraph(tb testing.TB, text string, ext *faultline.Extraction) {
	tb.Helper()
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD") // as Extract does
	}
	runes := []rune(text)
	types := map[string]faultline.EntityType{}
	for _, e := range ext.Entities {
		if _, dup := types[e.ID]; dup || e.ID == "" {
			tb.Errorf("entity id %q empty or used twice", e.ID)
		}
		types[e.ID] = e.Type
	}
	ref := func(what, id string) (faultline.EntityType, bool) {
		t, ok := types[id]
		if !ok {
			tb.Errorf("%s: %q is no entity of the output", what, id)
		}
		return t, ok
	}
	evidence := func(what string, spans []faultline.Span) {
		if len(spans) == 0 {
			tb.Errorf("%s: no evidence", what)
		}
		for _, sp := range spans {
			if sp.Start < 0 || sp.End > len(runes) || sp.Start >= sp.End {
				tb.Errorf("%s: evidence %d–%d out of range (chars %d)", what, sp.Start, sp.End, len(runes))
				continue
			}
			if got := string(runes[sp.Start:sp.End]); got != sp.Text {
				tb.Errorf("%s: evidence %d–%d text %q, but the text there is %q", what, sp.Start, sp.End, sp.Text, got)
			}
		}
	}
	date := func(what, field string, d *string) {
		if d != nil && !validDate(*d) {
			tb.Errorf("%s: %s %q is not an ISO date of 4, 7 or 10 characters", what, field, *d)
		}
	}
	for i, r := range ext.Relations {
		what := fmt.Sprintf("relation %d (%s %s %s, rule %s)", i, r.Subject, r.Predicate, r.Object, r.Rule)
		st, ok1 := ref(what+" subject", r.Subject)
		ot, ok2 := ref(what+" object", r.Object)
		if ok1 && ok2 && !faultline.ValidRelation(st, r.Predicate, ot) {
			tb.Errorf("%s: %s %s %s is not a valid relation", what, st, r.Predicate, ot)
		}
		if r.Subject == r.Object {
			tb.Errorf("%s: an entity related to itself", what)
		}
		if !r.Modality.Valid() {
			tb.Errorf("%s: modality %q", what, r.Modality)
		}
		if r.AttributedTo != nil {
			ref(what+" attributed_to", *r.AttributedTo)
		}
		date(what, "valid_from", r.ValidFrom)
		date(what, "valid_to", r.ValidTo)
		evidence(what, r.Evidence)
	}
	ids := map[string]bool{}
	for i, v := range ext.Events {
		what := fmt.Sprintf("event %d (%s %s, rule %s)", i, v.ID, v.Type, v.Rule)
		if ids[v.ID] || v.ID == "" {
			tb.Errorf("%s: id empty or used twice", what)
		}
		ids[v.ID] = true
		if !v.Type.Valid() {
			tb.Errorf("%s: type %q", what, v.Type)
		}
		for _, p := range v.Participants {
			ref(what+" participant", p.Entity)
			if !p.Role.Valid() {
				tb.Errorf("%s: participant %s has role %q", what, p.Entity, p.Role)
			}
		}
		if v.Location != nil {
			if t, ok := ref(what+" location", *v.Location); ok && t != faultline.Location && t != faultline.Country {
				tb.Errorf("%s: location %s is a %s, not a place", what, *v.Location, t)
			}
		}
		if !v.Modality.Valid() {
			tb.Errorf("%s: modality %q", what, v.Modality)
		}
		if v.AttributedTo != nil {
			ref(what+" attributed_to", *v.AttributedTo)
		}
		date(what, "date", v.Date)
		if v.Fatalities != nil && *v.Fatalities < 0 {
			tb.Errorf("%s: fatalities %d", what, *v.Fatalities)
		}
		evidence(what, v.Evidence)
	}
	b, err := json.Marshal(ext)
	if err != nil {
		tb.Fatal(err)
	}
	if sch := compiledSchema(tb); sch != nil {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			tb.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			tb.Errorf("output does not validate against extraction-v1.schema.json: %v", err)
		}
	}
}

// TestGraphInvariants checks the relations and events of every document the
// repository holds, the seed article, and the fuzz seeds.
func TestGraphInvariants(t *testing.T) {
	texts := map[string]string{}
	for i, s := range graphSeeds {
		texts[fmt.Sprintf("seed sentence %d", i)] = s
	}
	paths, _ := filepath.Glob("../examples/*.*")
	more, _ := filepath.Glob("../testdata/texts/*.txt")
	for _, base := range []string{"../../shared", "../shared"} {
		if p := filepath.Join(base, "corpus/seed-iskp-balochistan.txt"); fileExists(p) {
			more = append(more, p)
			break
		}
	}
	for _, p := range append(paths, more...) {
		texts[filepath.Base(p)] = readDoc(t, p).Text
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			ext := run(t, text)
			checkSpans(t, text, ext)
			checkGraph(t, text, ext)
		})
	}
}
