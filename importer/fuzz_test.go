package importer_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/importer"
)

// The fuzz targets feed arbitrary bytes to each reader (no store): it must
// not panic, must either fail with EINVALID or emit batches that the store
// accepts (claims and dataset events that refer only to the sources and
// entities of their batch, dates, counts and coordinates that are what
// they say), and must account for every CSV record it read. A row the
// store would refuse must be reported as malformed by the reader: the
// store refuses its whole batch.

// seed adds the head of a real file (cut at a line end) to the corpus,
// when ../shared is there.
func seed(f *testing.F, rel string, max int) {
	for _, base := range []string{"../../shared/", "../shared/"} {
		b, err := os.ReadFile(base + rel)
		if err != nil {
			continue
		}
		if len(b) > max {
			b = b[:max]
			if i := bytes.LastIndexByte(b, '\n'); i > 0 {
				b = b[:i+1]
			}
		}
		f.Add(b)
		return
	}
}

func checkRead(t *testing.T, format string, data []byte, extra map[string][]byte) {
	sum, err := importer.Read(context.Background(), format, "fuzz", data, extra, importer.Options{BatchSize: 7}, func(b *faultline.ImportBatch) error {
		srcs := map[string]bool{}
		for _, s := range b.Sources {
			if err := s.Validate(); err != nil {
				t.Fatalf("batch %d: source %q: %v", b.Index, s.Title, err)
			}
			srcs[s.SHA256] = true
		}
		ents := map[string]bool{}
		for _, e := range b.Entities {
			if !e.Type.Valid() || faultline.NormalizeName(e.Name) == "" || e.Ref == "" {
				t.Fatalf("batch %d: entity %+v", b.Index, e)
			}
			ents[e.Ref] = true
		}
		for _, c := range b.Claims {
			if !srcs[c.Source] {
				t.Fatalf("claim %s: source not in the batch", c.Key)
			}
			for _, r := range []string{c.Subject, c.Object, c.Location, c.AttributedTo} {
				if r != "" && !ents[r] {
					t.Fatalf("claim %s: entity %q not in the batch", c.Key, r)
				}
			}
			for _, p := range c.Participants {
				if !ents[p.Entity] || !p.Role.Valid() {
					t.Fatalf("claim %s: participant %+v", c.Key, p)
				}
			}
			if c.Kind == faultline.EventClaim && !c.EventType.Valid() {
				t.Fatalf("claim %s: event type %q", c.Key, c.EventType)
			}
			if c.Kind == faultline.RelationClaim && !c.Predicate.Valid() {
				t.Fatalf("claim %s: predicate %q", c.Key, c.Predicate)
			}
		}
		if len(b.Events) > 0 {
			if b.Dataset == nil {
				t.Fatalf("batch %d: %d dataset events without a dataset source", b.Index, len(b.Events))
			}
			if err := b.Dataset.Validate(); err != nil {
				t.Fatalf("batch %d: dataset source: %v", b.Index, err)
			}
		}
		for _, e := range b.Events {
			if e.ID == "" || !e.Type.Valid() || e.Line < 1 {
				t.Fatalf("dataset event %+v", e)
			}
			if _, err := faultline.ParseDate(e.Date); err != nil {
				t.Fatalf("dataset event %s: date %q", e.ID, e.Date)
			}
			for _, r := range []string{e.Location, e.Agent, e.Target} {
				if r != "" && !ents[r] {
					t.Fatalf("dataset event %s: entity %q not in the batch", e.ID, r)
				}
			}
			if (e.Lat == nil) != (e.Lon == nil) || e.Lat != nil && !(*e.Lat >= -90 && *e.Lat <= 90 && *e.Lon >= -180 && *e.Lon <= 180) {
				t.Fatalf("dataset event %s: coordinates %v, %v", e.ID, e.Lat, e.Lon)
			}
			for _, n := range []*int{e.Deaths, e.DeathsLow, e.DeathsHigh} {
				if n != nil && *n < 0 {
					t.Fatalf("dataset event %s: negative count", e.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		if faultline.ErrorCode(err) != faultline.EINVALID {
			t.Fatalf("error %v: want EINVALID", err)
		}
		return
	}
	if format == "ofac" {
		// Malformed rows of alt.csv and add.csv count too; sdn.csv rows
		// are imported, excluded or malformed.
		if sum.Imported > sum.Records {
			t.Fatalf("%d records, %d imported", sum.Records, sum.Imported)
		}
		return
	}
	if format == "ucdp" || format == "acled" {
		excluded := 0
		for k, n := range sum.Excluded {
			if k != "add.csv address rows (addresses are not stored)" {
				excluded += n
			}
		}
		if sum.Imported+sum.Malformed+excluded != sum.Records {
			t.Fatalf("%d records, but %d imported + %d malformed + %d excluded", sum.Records, sum.Imported, sum.Malformed, excluded)
		}
	}
}

func FuzzUCDP(f *testing.F) {
	seed(f, "data/ucdp-ged/conflict_data_pak.csv", 16<<10)
	f.Add([]byte(gedHeader + gedRow("1", "1", "2020-01-02", "3", "34.0", "71.5")))
	f.Add([]byte(gedHeader + "1,\"a\nb\",2020\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "ucdp", data, nil) })
}

func FuzzACLED(f *testing.F) {
	if b, err := os.ReadFile("testdata/acled-synthetic.csv"); err == nil {
		f.Add(b)
	}
	seed(f, "data/acled/acled_export_header.csv", 4<<10)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "acled", data, nil) })
}

func FuzzSTIX(f *testing.F) {
	seed(f, "data/stix21-bundles/stix20-legacy/identifying-a-threat-actor-profile.json", 8<<10)
	if b, err := os.ReadFile(sharedPath("data/stix21-bundles/opencti-DATA-TEST-STIX2_v2.json")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"type":"bundle","objects":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "stix", data, nil) })
}

func FuzzUNSC(f *testing.F) {
	seed(f, "data/un-sc-consolidated/consolidated.xml", 12<<10)
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.161</REFERENCE_NUMBER><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>ISIL KHORASAN</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST/>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, "unsc", data, nil) })
}

func FuzzOFAC(f *testing.F) {
	seed(f, "data/ofac-sdn/2024-05-03-jackdwyer/sdn.csv", 16<<10)
	f.Add([]byte("306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n\x1a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, "ofac", data, map[string][]byte{"alt": []byte("306,1,aka,BNC,-0-\n"), "add": data})
	})
}

// sharedPath returns the path of a file of ../shared, or "".
func sharedPath(rel string) string {
	for _, base := range []string{"../../shared/", "../shared/"} {
		if _, err := os.Stat(base + rel); err == nil {
			return base + rel
		}
	}
	return ""
}
