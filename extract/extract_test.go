package extract_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/extract"
)

var (
	once sync.Once
	ex   *extract.Extractor
)

// mustExtractor builds the default extractor once for all tests.
func mustExtractor(tb testing.TB) *extract.Extractor {
	tb.Helper()
	once.Do(func() {
		var err error
		ex, err = extract.New(extract.Options{})
		if err != nil {
			tb.Fatalf("extract.New: %v", err)
		}
	})
	if ex == nil {
		tb.Fatal("extractor unavailable")
	}
	return ex
}

func run(tb testing.TB, text string) *faultline.Extraction {
	return mustExtractor(tb).Extract(faultline.Document{Path: "t.txt", Text: text})
}

// find returns the entity one of whose names or aliases is name.
func find(ext *faultline.Extraction, name string) *faultline.ExtractedEntity {
	for i, e := range ext.Entities {
		if e.Name == name {
			return &ext.Entities[i]
		}
		for _, a := range e.Aliases {
			if a == name {
				return &ext.Entities[i]
			}
		}
	}
	return nil
}

func TestEntities(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   map[string]faultline.EntityType // name or alias → type
		absent []string                        // names that must not be entities
		sameAs [][2]string                     // pairs that must be one entity
	}{
		{
			name:   "a date after a category's name is not part of a name",
			text:   "The State Department listed TRF as a Foreign Terrorist Organization in March 2025.",
			want:   map[string]faultline.EntityType{"TRF": faultline.ArmedGroup},
			absent: []string{"Foreign Terrorist Organization in March", "Foreign Terrorist Organization"},
		},
		{
			name:   "a name before a possessor's preposition",
			text:   "Fighters attacked a base at Manda Bay in Kenya's Lamu County. Help came from the Quds Force of Iran's IRGC.",
			want:   map[string]faultline.EntityType{"Manda Bay": faultline.Location, "Kenya": faultline.Country, "Lamu County": faultline.Location},
			absent: []string{"Manda", "Bay", "Quds Force of Iran"},
		},
		{
			name: "a long name with particles and a demonym after al-",
			text: "The founder, Adnan Abu Walid al-Sahrawi, was killed by French forces in August 2021.",
			want: map[string]faultline.EntityType{"Adnan Abu Walid al-Sahrawi": faultline.Person},
		},
		{
			name:   "a sentence opener is not part of a name",
			text:   "When Taliban fighters entered Kabul, prisons opened.",
			want:   map[string]faultline.EntityType{"Taliban": faultline.ArmedGroup},
			absent: []string{"When Taliban"},
		},
		{
			name: "a family name after al- that is also a group's",
			text: "The Houthis are led by Abdul-Malik al-Houthi.",
			want: map[string]faultline.EntityType{"Abdul-Malik al-Houthi": faultline.Person, "Houthis": faultline.ArmedGroup},
		},
		{
			name:   "acronym definition links both forms",
			text:   "The Islamic State Khorasan Province (ISKP) moved south. Later ISKP struck again.",
			want:   map[string]faultline.EntityType{"Islamic State Khorasan Province": faultline.ArmedGroup, "ISKP": faultline.ArmedGroup},
			sameAs: [][2]string{{"Islamic State Khorasan Province", "ISKP"}},
		},
		{
			name:   "unknown acronym typed by head word",
			text:   "Analysts at the Centre for Maritime Security and Peace Studies (CMSPS) disagreed.",
			want:   map[string]faultline.EntityType{"Centre for Maritime Security and Peace Studies": faultline.Organization},
			sameAs: [][2]string{{"Centre for Maritime Security and Peace Studies", "CMSPS"}},
		},
		{
			name: "people by title, role, honorific and attribution",
			text: "Interior Minister Mohsin Naqvi condemned it. The TTP chief, Noor Wali Mehsud, denied it. " +
				"According to Ayesha Siddiqa of King's College, the army knew. Hafiz Saeed was arrested. Naqvi said more.",
			want: map[string]faultline.EntityType{"Mohsin Naqvi": faultline.Person, "Noor Wali Mehsud": faultline.Person,
				"Ayesha Siddiqa": faultline.Person, "Hafiz Saeed": faultline.Person},
			sameAs: [][2]string{{"Mohsin Naqvi", "Naqvi"}},
		},
		{
			name:   "capital as the state only when used so",
			text:   "Islamabad dismissed the reports. Militants attacked a hotel in Islamabad. Islamabad's response was muted.",
			want:   map[string]faultline.EntityType{"Pakistan": faultline.Country},
			sameAs: [][2]string{},
		},
		{
			name: "head words and the lower-case network",
			text: "The Haqqani network and the Zainabiyoun Brigade fought alongside the Khorasan Liberation Front.",
			want: map[string]faultline.EntityType{"Haqqani network": faultline.ArmedGroup, "Zainabiyoun Brigade": faultline.ArmedGroup,
				"Khorasan Liberation Front": faultline.ArmedGroup},
		},
		{
			name:   "people by demonym, and a title over a town's name",
			text:   "They freed the American Kevin King and the Australian Timothy Weeks in 2019. President Obama welcomed it, as did the Pakistani Defence Minister.",
			want:   map[string]faultline.EntityType{"Kevin King": faultline.Person, "Timothy Weeks": faultline.Person, "Obama": faultline.Person},
			absent: []string{"Defence Minister", "American Kevin King"},
		},
		{
			name: "head word before an of-phrase",
			text: "Lecturers of the American University of Afghanistan left; the Islamic Movement of Uzbekistan stayed in the Tirah Valley of Pakistan.",
			want: map[string]faultline.EntityType{"American University of Afghanistan": faultline.Organization,
				"Islamic Movement of Uzbekistan": faultline.ArmedGroup, "Tirah Valley": faultline.Location, "Pakistan": faultline.Country},
		},
		{
			name: "state forces are government bodies",
			text: "A former Pakistan Army officer joined the group.",
			want: map[string]faultline.EntityType{"Pakistan Army": faultline.GovernmentBody},
		},
		{
			name:   "months, categories and common words are not places or groups",
			text:   "In March 2025 the State Department named it a Foreign Terrorist Organization. Most of it was quiet.",
			want:   map[string]faultline.EntityType{"State Department": faultline.GovernmentBody},
			absent: []string{"March", "Foreign Terrorist Organization", "Most"},
		},
		{
			name:   "website chrome is not content",
			text:   "HOME\nPrograms & Centres\nImage Source: Getty Images\nThe TTP attacked Bannu.\nRead More +\nShare on Telegram",
			want:   map[string]faultline.EntityType{"TTP": faultline.ArmedGroup},
			absent: []string{"Getty Images", "Telegram", "Centres"},
		},
		{
			name: "dotted abbreviation keeps its period",
			text: "Before a 2011 U.S. drone strike killed him, he led the cell.",
			want: map[string]faultline.EntityType{"U.S.": faultline.Country},
		},
		{
			name: "acronym in capitals is not a town of that name",
			text: "The Baloch Liberation Army (BLA) claimed the attack; BLA fighters withdrew.",
			want: map[string]faultline.EntityType{"BLA": faultline.ArmedGroup},
		},
		{
			name: "transliteration marks fold away",
			text: "Jaish al-ʿAdl claimed the attack in Sistan and Baluchestan.",
			want: map[string]faultline.EntityType{"Jaish al-ʿAdl": faultline.ArmedGroup},
		},
		{
			name: "compass word makes a district",
			text: "Soldiers died in North Waziristan on Friday.",
			want: map[string]faultline.EntityType{"North Waziristan": faultline.Location},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext := run(t, tt.text)
			for name, typ := range tt.want {
				e := find(ext, name)
				if e == nil {
					t.Errorf("no entity named %q; got %s", name, names(ext))
					continue
				}
				if e.Type != typ {
					t.Errorf("%q: type got %s, want %s", name, e.Type, typ)
				}
			}
			for _, name := range tt.absent {
				if e := find(ext, name); e != nil {
					t.Errorf("%q should not be an entity (got %s, rule %s)", name, e.Type, e.Rule)
				}
			}
			for _, p := range tt.sameAs {
				a, b := find(ext, p[0]), find(ext, p[1])
				if a == nil || b == nil || a.ID != b.ID {
					t.Errorf("%q and %q should be one entity; got %s", p[0], p[1], names(ext))
				}
			}
			checkSpans(t, tt.text, ext)
		})
	}
}

func TestMetonymy(t *testing.T) {
	ext := run(t, "Islamabad dismissed the reports. Militants attacked a hotel in Islamabad.")
	pk := find(ext, "Pakistan")
	if pk == nil {
		t.Fatalf("no Pakistan entity; got %s", names(ext))
	}
	if len(pk.Mentions) != 1 || pk.Mentions[0].Start != 0 || pk.Mentions[0].Rule != "metonym.capital" {
		t.Errorf("Pakistan mentions got %+v, want the first Islamabad only", pk.Mentions)
	}
	var city *faultline.ExtractedEntity
	for i, e := range ext.Entities {
		if e.Name == "Islamabad" {
			city = &ext.Entities[i]
		}
	}
	if city == nil || city.ID == pk.ID || city.Type != faultline.Location {
		t.Errorf("the second Islamabad should stay a location; got %s", names(ext))
	}
}

func TestSentenceAfterNumber(t *testing.T) {
	// A sentence ending in a year must end there, so that a capitalised
	// word starting the next one is not glued to the year.
	ext := run(t, "The group was designated in 2019. Hafiz Gul Bahadur said nothing.")
	if find(ext, "Hafiz Gul Bahadur") == nil {
		t.Errorf("no Hafiz Gul Bahadur; got %s", names(ext))
	}
}

func TestUserDictionary(t *testing.T) {
	entries, err := dictionary.LoadYAML(strings.NewReader(`
- name: Khorasan Diary
  type: organization
  aliases: [KD]
  case_sensitive: [KD]
`), "user.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, err := dictionary.Default()
	if err != nil {
		t.Fatal(err)
	}
	x, err := extract.New(extract.Options{Dictionary: base.With(entries...)})
	if err != nil {
		t.Fatal(err)
	}
	ext := x.Extract(faultline.Document{Text: "Reporting by Khorasan Diary and KD suggests otherwise; kd is not it."})
	e := find(ext, "Khorasan Diary")
	if e == nil || e.Type != faultline.Organization || len(e.Mentions) != 2 {
		t.Fatalf("user entry: got %s", names(ext))
	}
}

func TestOffsetsAreCodePoints(t *testing.T) {
	text := "Le réseau – d’après l’ISI – et le Lashkar-e-Taiba (LeT) coopèrent. Pakistan’s army knew."
	ext := run(t, text)
	if find(ext, "Lashkar-e-Taiba") == nil {
		t.Fatalf("no LeT; got %s", names(ext))
	}
	checkSpans(t, text, ext)
}

// checkSpans asserts that every mention's text is the code-point slice
// of the document at its offsets.
func checkSpans(tb testing.TB, text string, ext *faultline.Extraction) {
	tb.Helper()
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	runes := []rune(text)
	if ext.Document.Chars != len(runes) {
		tb.Errorf("chars got %d, want %d", ext.Document.Chars, len(runes))
	}
	for _, e := range ext.Entities {
		if !e.Type.Valid() || e.Name == "" {
			tb.Errorf("entity %+v: bad type or empty name", e)
		}
		for _, m := range e.Mentions {
			if m.Start < 0 || m.End > len(runes) || m.Start >= m.End {
				tb.Fatalf("mention %+v out of range (chars %d)", m, len(runes))
			}
			if got := string(runes[m.Start:m.End]); got != m.Text {
				tb.Errorf("mention %+v: text at offsets is %q", m, got)
			}
		}
	}
}

func names(ext *faultline.Extraction) string {
	var b strings.Builder
	for _, e := range ext.Entities {
		b.WriteString(e.Name + " (" + string(e.Type) + "; " + strings.Join(e.Aliases, ", ") + ") ")
	}
	return b.String()
}

// shared locates ../shared beside the checkout, or skips the test.
func shared(tb testing.TB, rel string) string {
	tb.Helper()
	for _, base := range []string{"../../shared", "../shared"} {
		p := filepath.Join(base, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	tb.Skipf("../shared/%s is absent (CI has it beside the checkout); skipping", rel)
	return ""
}

func TestOutputValidatesAgainstSchema(t *testing.T) {
	schemaPath := shared(t, "schema/extraction-v1.schema.json")
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	texts := map[string]string{}
	if seed := shared(t, "corpus/seed-iskp-balochistan.txt"); seed != "" {
		b, _ := os.ReadFile(seed)
		texts["seed"] = string(b)
	}
	examples, _ := filepath.Glob("../examples/*.*")
	for _, p := range examples {
		b, _ := os.ReadFile(p)
		texts[p] = string(b)
	}
	for name, text := range texts {
		ext := run(t, text)
		checkSpans(t, text, ext)
		b, _ := json.Marshal(ext)
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: output does not validate: %v", name, err)
		}
	}
}
