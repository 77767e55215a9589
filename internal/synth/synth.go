// Package synth builds synthetic Faultline databases of realistic shape for
// benchmarks and load tests: entities of every type with a heavy-tailed
// number of ties (a few hubs, a long tail), documents whose text states
// relations and events in the hedged language of real reports, mentions
// and evidence at true offsets, places with coordinates, dates at day,
// month and year precision, and sources of mixed reliability and TLP.
//
// Everything goes through the store's ingest (IngestDocument, or
// IngestBatch where the store has it, which applies the same rules), so
// the database holds exactly what an ingest of such documents would: the
// store's own resolution, ids, search index and aggregates. The output is
// a pure function of the options: the same seed gives the same database.
package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
)

// Options says what to build.
type Options struct {
	// Entities is the number of entities to create (at least 20).
	Entities int
	// Seed makes the output reproducible.
	Seed uint64
	// Progress, when set, is called after every 1,000 documents.
	Progress func(docs, total int)
}

// Result counts what was built.
type Result struct {
	Entities  int
	Documents int
	Relations int
	Events    int
	Mentions  int
}

// batchSize is how many documents go in one transaction when the store
// takes batches.
const batchSize = 200

// entity is a synthetic entity.
type entity struct {
	name     string
	typ      faultline.EntityType
	lat, lon float64
}

// Build fills st with a synthetic corpus: about one document per two
// entities, each stating a dozen relations and a few events.
func Build(ctx context.Context, st faultline.SourceService, o Options) (Result, error) {
	var res Result
	if o.Entities < 20 {
		return res, faultline.Errorf(faultline.EINVALID, "synth: want at least 20 entities, got %d", o.Entities)
	}
	g := newGen(o)
	docs := max(10, o.Entities/2)
	// A store that takes batches gets batchSize documents per transaction:
	// at a million entities a commit per document is most of the cost.
	bi, _ := st.(faultline.BatchIngester)
	var batch []faultline.Ingestion
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var rs []faultline.IngestResult
		if bi != nil {
			var err error
			if rs, err = bi.IngestBatch(ctx, batch); err != nil {
				return fmt.Errorf("synth: documents %d–%d: %w", res.Documents, res.Documents+len(batch)-1, err)
			}
		} else {
			for _, d := range batch {
				r, err := st.IngestDocument(ctx, d.Source, d.Extraction)
				if err != nil {
					return fmt.Errorf("synth: document %d: %w", res.Documents+len(rs), err)
				}
				rs = append(rs, r)
			}
		}
		for i, r := range rs {
			res.Documents++
			res.Relations += len(batch[i].Extraction.Relations)
			res.Events += len(batch[i].Extraction.Events)
			res.Mentions += r.Mentions
			if o.Progress != nil && res.Documents%1000 == 0 {
				o.Progress(res.Documents, docs)
			}
		}
		batch = batch[:0]
		return nil
	}
	next := 0 // the next entity not yet mentioned
	for d := range docs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		// Fresh entities are spread evenly so that every entity is
		// mentioned at least once.
		fresh := (d+1)*len(g.ents)/docs - next
		src, ext := g.document(d, next, fresh)
		next += fresh
		batch = append(batch, faultline.Ingestion{Source: src, Extraction: ext})
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	res.Entities = len(g.ents)
	return res, nil
}

// gen holds the generator's state.
type gen struct {
	rng  *rand.Rand
	ents []entity
	// byType indexes entities by type for picking partners.
	byType map[faultline.EntityType][]int
	epoch  time.Time
}

// type shares, in per mille, in the order the entities are made.
var typeShares = []struct {
	t     faultline.EntityType
	share int
}{
	{faultline.Country, 3}, {faultline.Location, 250}, {faultline.ArmedGroup, 150}, {faultline.GovernmentBody, 80},
	{faultline.PoliticalParty, 40}, {faultline.Organization, 100}, {faultline.Person, 377},
}

func newGen(o Options) *gen {
	g := &gen{
		rng:    rand.New(rand.NewPCG(o.Seed, 0x5eed)),
		byType: map[faultline.EntityType][]int{},
		epoch:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	seen := map[string]bool{}
	// Entities are made in a shuffled type order so that every type has
	// hubs (low indexes are picked most often).
	types := make([]faultline.EntityType, 0, o.Entities)
	for _, ts := range typeShares {
		n := max(2, o.Entities*ts.share/1000)
		if ts.t == faultline.Country {
			n = min(n, 200)
		}
		for range n {
			types = append(types, ts.t)
		}
	}
	for len(types) < o.Entities {
		types = append(types, faultline.Person)
	}
	types = types[:o.Entities]
	g.rng.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
	// Places cluster around a few centres, as a conflict's geography does.
	centres := [][2]float64{{34.0, 71.5}, {30.2, 67.0}, {33.3, 44.4}, {36.2, 37.1}, {15.4, 44.2}, {9.0, 38.7}, {13.5, 2.1}, {2.0, 45.3}}
	for i, t := range types {
		var name string
		for {
			name = g.name(t)
			if !seen[faultline.NormalizeName(name)] {
				break
			}
			name += " " + strconv.Itoa(i)
			if !seen[faultline.NormalizeName(name)] {
				break
			}
		}
		seen[faultline.NormalizeName(name)] = true
		e := entity{name: name, typ: t}
		if t == faultline.Location || t == faultline.Country {
			c := centres[g.rng.IntN(len(centres))]
			e.lat = math.Round((c[0]+g.rng.NormFloat64()*3)*1e4) / 1e4
			e.lon = math.Round((c[1]+g.rng.NormFloat64()*4)*1e4) / 1e4
		}
		g.byType[t] = append(g.byType[t], i)
		g.ents = append(g.ents, e)
	}
	return g
}

var syllables = []string{"ka", "ra", "ba", "dar", "al", "zan", "mir", "shah", "lo", "gul", "tan", "ha", "qa", "sim", "nur", "far", "ja", "bad", "kho", "ras", "sa", "wa", "zi", "um", "del", "mo", "ri", "pur", "gar", "an"}

func (g *gen) word(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(syllables[g.rng.IntN(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func (g *gen) name(t faultline.EntityType) string {
	pick := func(xs ...string) string { return xs[g.rng.IntN(len(xs))] }
	switch t {
	case faultline.Person:
		return g.word(2) + " " + g.word(2+g.rng.IntN(2))
	case faultline.ArmedGroup:
		return pick("Jamaat", "Lashkar", "Harakat", "Tehrik", "Ansar", "Jaish", "Brigade of", "Front of", "Army of") + " " + g.word(2) + " " + pick("Front", "Movement", "Brigade", "Network", "Mujahideen", "Liberation Army")
	case faultline.Country:
		return g.word(2) + pick("stan", "ia", "land", "ria")
	case faultline.Location:
		return g.word(2) + pick("", "abad", "pur", "kot", " Valley", " District")
	case faultline.GovernmentBody:
		return pick("Ministry of ", "Directorate of ", "Council of ", "Bureau of ") + g.word(2) + " " + pick("Affairs", "Security", "Intelligence", "Defence")
	case faultline.PoliticalParty:
		return g.word(2) + " " + pick("People's Party", "League", "Justice Party", "National Front")
	default:
		return g.word(2) + " " + pick("Foundation", "Relief Trust", "Institute", "Welfare Society")
	}
}

// pick returns an entity of one of the types, heavy-tailed: low indexes
// are far likelier, so a few entities become hubs.
func (g *gen) pick(types ...faultline.EntityType) int {
	t := types[g.rng.IntN(len(types))]
	xs := g.byType[t]
	u := g.rng.Float64()
	return xs[int(float64(len(xs))*u*u*u)]
}

// docText accumulates a document's text with its mentions and claims.
type docText struct {
	b     strings.Builder
	n     int // characters written (the text is ASCII)
	local map[int]string
	ents  []faultline.ExtractedEntity
}

func (d *docText) write(s string) { d.b.WriteString(s); d.n += len(s) }

// mention writes an entity's name and records the mention.
func (d *docText) mention(g *gen, i int) string {
	id, ok := d.local[i]
	if !ok {
		e := g.ents[i]
		id = "e" + strconv.Itoa(len(d.ents)+1)
		d.local[i] = id
		x := faultline.ExtractedEntity{ID: id, Name: e.name, Type: e.typ, Aliases: []string{}, Key: "synth:" + strconv.Itoa(i), Rule: "synth"}
		if e.typ == faultline.Location || e.typ == faultline.Country {
			lat, lon := e.lat, e.lon
			x.Lat, x.Lon = &lat, &lon
		}
		d.ents = append(d.ents, x)
	}
	x := &d.ents[index(d.ents, id)]
	x.Mentions = append(x.Mentions, faultline.Mention{Span: faultline.Span{Start: d.n, End: d.n + len(g.ents[i].name), Text: g.ents[i].name}, Rule: "synth.name"})
	d.write(g.ents[i].name)
	return id
}

func index(es []faultline.ExtractedEntity, id string) int {
	n, _ := strconv.Atoi(id[1:])
	return n - 1
}

var modalities = []struct {
	m      faultline.Modality
	weight int
	hedge  string
}{
	{faultline.Asserted, 50, ""}, {faultline.Reported, 22, "reportedly "}, {faultline.Alleged, 15, "allegedly "},
	{faultline.Possible, 9, "may have "}, {faultline.Denied, 4, "denies that it "},
}

func (g *gen) modality() (faultline.Modality, string) {
	n := g.rng.IntN(100)
	for _, m := range modalities {
		if n < m.weight {
			return m.m, m.hedge
		}
		n -= m.weight
	}
	return faultline.Asserted, ""
}

// date returns a date between 1995 and 2025 at day (60%), month (30%) or
// year precision, as text and as ISO.
func (g *gen) date() (text, iso string) {
	y := 1995 + g.rng.IntN(31)
	m := 1 + g.rng.IntN(12)
	d := 1 + g.rng.IntN(28)
	month := time.Month(m).String()
	switch n := g.rng.IntN(10); {
	case n < 6:
		return fmt.Sprintf("%d %s %d", d, month, y), fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case n < 9:
		return fmt.Sprintf("%s %d", month, y), fmt.Sprintf("%04d-%02d", y, m)
	}
	return strconv.Itoa(y), strconv.Itoa(y)
}

var actorTypes = []faultline.EntityType{faultline.ArmedGroup, faultline.ArmedGroup, faultline.GovernmentBody, faultline.Organization, faultline.PoliticalParty, faultline.Country}

// relation writes one sentence stating a relation and returns it.
func (g *gen) relation(d *docText) faultline.ExtractedRelation {
	var s, o int
	var p faultline.Predicate
	switch n := g.rng.IntN(10); {
	case n < 3:
		s, o = g.pick(faultline.Person), g.pick(faultline.ArmedGroup, faultline.PoliticalParty, faultline.GovernmentBody, faultline.Organization)
		p = []faultline.Predicate{faultline.Leads, faultline.MemberOf, faultline.MemberOf}[g.rng.IntN(3)]
	case n < 7:
		s, o = g.pick(actorTypes...), g.pick(actorTypes...)
		p = []faultline.Predicate{faultline.Supports, faultline.HostileTo, faultline.AlliedWith, faultline.AffiliatedWith, faultline.PartOf}[g.rng.IntN(5)]
	case n < 9:
		s, o = g.pick(actorTypes...), g.pick(faultline.Location, faultline.Country)
		p = []faultline.Predicate{faultline.BasedIn, faultline.ActiveIn}[g.rng.IntN(2)]
	default:
		s, o = g.pick(faultline.Location), g.pick(faultline.Country)
		p = faultline.LocatedIn
	}
	if s == o || !faultline.ValidRelation(g.ents[s].typ, p, g.ents[o].typ) {
		s, o, p = g.pick(faultline.ArmedGroup), g.pick(faultline.Location), faultline.ActiveIn
	}
	m, hedge := g.modality()
	start := d.n
	var from *string
	if g.rng.IntN(3) == 0 {
		text, iso := g.date()
		d.write("Since " + text + ", ")
		from = &iso
	}
	r := faultline.ExtractedRelation{Predicate: p, Modality: m, ValidFrom: from, Rule: "synth." + string(p)}
	r.Subject = d.mention(g, s)
	verb := map[faultline.Predicate]string{
		faultline.Leads: "leads", faultline.MemberOf: "is a member of", faultline.Supports: "supports",
		faultline.HostileTo: "fights", faultline.AlliedWith: "is allied with", faultline.AffiliatedWith: "is affiliated with",
		faultline.PartOf: "is part of", faultline.BasedIn: "is based in", faultline.ActiveIn: "operates in", faultline.LocatedIn: "lies in",
	}[p]
	d.write(" " + hedge + verb + " ")
	r.Object = d.mention(g, o)
	d.write(".")
	r.Evidence = []faultline.Span{{Start: start, End: d.n, Text: d.b.String()[start:d.n]}}
	d.write(" ")
	return r
}

var eventVerbs = []struct {
	t    faultline.EventType
	verb string
}{
	{faultline.Attack, "attacked"}, {faultline.Raid, "raided positions of"}, {faultline.Strike, "struck"},
	{faultline.Clash, "clashed with"}, {faultline.Arrest, "arrested members of"}, {faultline.Killing, "killed a commander of"},
}

// event writes one sentence stating an event and returns it.
func (g *gen) event(d *docText, k int) faultline.ExtractedEvent {
	ev := eventVerbs[g.rng.IntN(len(eventVerbs))]
	m, _ := g.modality()
	if m == faultline.Denied {
		m = faultline.Reported
	}
	start := d.n
	text, iso := g.date()
	d.write("On " + text + ", ")
	agent := g.pick(faultline.ArmedGroup, faultline.ArmedGroup, faultline.GovernmentBody, faultline.Country)
	target := g.pick(faultline.ArmedGroup, faultline.GovernmentBody, faultline.Organization)
	place := g.pick(faultline.Location)
	e := faultline.ExtractedEvent{ID: "v" + strconv.Itoa(k), Type: ev.t, Date: &iso, Modality: m, Rule: "synth." + string(ev.t)}
	a := d.mention(g, agent)
	d.write(" " + ev.verb + " ")
	t := d.mention(g, target)
	d.write(" in ")
	l := d.mention(g, place)
	e.Location = &l
	e.Participants = []faultline.Participant{{Entity: a, Role: faultline.RoleAgent}}
	if t != a {
		e.Participants = append(e.Participants, faultline.Participant{Entity: t, Role: faultline.RoleTarget})
	}
	if g.rng.IntN(2) == 0 {
		n := 1 + int(math.Exp(g.rng.Float64()*4))
		d.write(", killing " + strconv.Itoa(n) + " people")
		e.Fatalities = &n
	}
	d.write(".")
	e.Evidence = []faultline.Span{{Start: start, End: d.n, Text: d.b.String()[start:d.n]}}
	d.write(" ")
	return e
}

var publishers = []string{"Crisis Monitor", "Frontier Post", "Institute for Conflict Studies", "Regional Observer", "Security Review", "Wire Service", "Ministry Press Office"}

// document builds document number n, which also mentions entities
// [fresh0, fresh0+fresh) for the first time.
func (g *gen) document(n, fresh0, fresh int) (*faultline.Source, *faultline.Extraction) {
	d := &docText{local: map[int]string{}}
	title := fmt.Sprintf("Synthetic report %d: %s", n+1, g.ents[g.pick(faultline.ArmedGroup)].name)
	d.write(title + "\n\n")
	var rels []faultline.ExtractedRelation
	for i := range fresh {
		// Introduce each fresh entity in a sentence of its own.
		x := fresh0 + i
		start := d.n
		d.mention(g, x)
		d.write(" is named in this report.")
		_ = start
		d.write(" ")
	}
	nrel := 6 + g.rng.IntN(13)
	nev := g.rng.IntN(6)
	var evs []faultline.ExtractedEvent
	for i := range nrel + nev {
		if i%4 == 3 && len(evs) < nev {
			evs = append(evs, g.event(d, len(evs)+1))
			continue
		}
		rels = append(rels, g.relation(d))
		if i%5 == 4 {
			d.write("\n\n")
		}
	}
	text := d.b.String()
	sum := sha256.Sum256([]byte(text))
	rel := faultline.Reliability("ABCDEF"[min(5, int(g.rng.ExpFloat64()*1.5))])
	tlps := []faultline.TLP{faultline.TLPClear, faultline.TLPClear, faultline.TLPClear, faultline.TLPGreen, faultline.TLPAmber}
	pub := g.epoch.AddDate(0, 0, -g.rng.IntN(365*12)).Format(time.DateOnly)
	src := &faultline.Source{
		SHA256: hex.EncodeToString(sum[:]), Title: title, Publisher: publishers[g.rng.IntN(len(publishers))],
		Published: pub, Format: "txt", Reliability: rel, TLP: tlps[g.rng.IntN(len(tlps))], Text: text,
		IngestedAt: g.epoch.Add(time.Duration(n) * time.Second),
	}
	ext := faultline.NewExtraction(faultline.ExtractionDocument{SHA256: src.SHA256, Title: title, Chars: len(text)})
	ext.Entities = d.ents
	ext.Relations = rels
	ext.Events = evs
	if ext.Relations == nil {
		ext.Relations = []faultline.ExtractedRelation{}
	}
	if ext.Events == nil {
		ext.Events = []faultline.ExtractedEvent{}
	}
	return src, ext
}
