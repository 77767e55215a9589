package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/gexf"
	"github.com/faultline-osint/faultline/export/graphml"
)

// The records of event datasets in the tabular and graph exports: each
// format carries every record the snapshot holds, with the fields the
// format has room for, and none that the filter leaves out.

// recordFields are what a format says about one record, by a name common
// to the formats: type, date, fatalities, lat, lon (where the record is),
// start and end (the period it allows), sub_type, line, date_prec,
// place_prec, deaths_low, deaths_high, place (the place's name), agent and
// target (by name), source_text, notes.
type recordFields map[string]string

// wantRecords are the fields of three records of the dataset fixture: a
// UCDP clash dated to the day with a range of deaths, UCDP one-sided
// violence dated to a month, and an ACLED strike dated to a week.
var wantRecords = map[string]recordFields{
	"ucdp:900001": {"type": "clash", "date": "2024-03-11", "fatalities": "5", "lat": "33.0215", "lon": "70.2756",
		"start": "2024-03-11", "end": "2024-03-11", "sub_type": "state-based conflict", "line": "2", "date_prec": "1", "place_prec": "1",
		"deaths_low": "4", "deaths_high": "7", "place": "Mir Ali", "agent": "Pakistan", "target": "Tehrik-i-Taliban Pakistan",
		"source_text": "Dawn,2024-03-12,Four militants killed near Mir Ali Original source: Pakistani military.",
		"notes":       "Dyad: Government of Pakistan - TTP. Conflict: Pakistan: Government. Where: Mir Ali town. Deaths: side a 1, side b 4, civilians 0, unknown 0."},
	"ucdp:900002": {"type": "attack", "date": "2024-05", "fatalities": "9", "lat": "34.5", "lon": "72",
		"start": "2024-05-01", "end": "2024-05-31", "sub_type": "one-sided violence", "line": "3", "date_prec": "4", "place_prec": "4",
		"deaths_low": "9", "deaths_high": "9", "place": "Khyber Pakhtunkhwa", "agent": "Tehrik-i-Taliban Pakistan", "target": ""},
	"acled:SYN0002": {"type": "strike", "date": "2024-03-15", "fatalities": "2", "lat": "33.91", "lon": "71.45",
		"start": "2024-03-12", "end": "2024-03-18", "sub_type": "Air/drone strike", "line": "3", "date_prec": "2", "place_prec": "2",
		"deaths_low": "", "deaths_high": "", "place": "Bara", "agent": "Military Forces of Pakistan", "target": "Tehrik-i-Taliban Pakistan",
		"source_text": "Synthetic Wire"},
}

// datasetFormat writes a snapshot and reads back, by record id, what the
// output says about each record; carries lists the fields it has room for.
type datasetFormat struct {
	name    string
	write   func(*bytes.Buffer, *faultline.Snapshot) error
	read    func(*testing.T, []byte) map[string]recordFields
	carries []string
}

var datasetFormats = []datasetFormat{
	{"csv", func(w *bytes.Buffer, s *faultline.Snapshot) error { return export.WriteCSV(w, "events", s) }, readCSVRecords,
		[]string{"type", "date", "fatalities", "lat", "lon", "start", "end", "sub_type", "line", "date_prec", "place_prec",
			"deaths_low", "deaths_high", "place", "agent", "target", "source_text", "notes"}},
	{"geojson", func(w *bytes.Buffer, s *faultline.Snapshot) error { return export.WriteGeoJSON(w, s) }, readGeoJSONRecords,
		[]string{"type", "date", "fatalities", "lat", "lon", "start", "end", "sub_type", "line", "date_prec", "place_prec",
			"deaths_low", "deaths_high", "place", "agent", "target", "source_text", "notes"}},
	{"graphml", func(w *bytes.Buffer, s *faultline.Snapshot) error { return graphml.Write(w, export.NewNetwork(s)) }, readGraphMLRecords,
		[]string{"type", "date", "fatalities", "lat", "lon", "start", "end", "sub_type", "agent", "target"}},
	{"gexf", func(w *bytes.Buffer, s *faultline.Snapshot) error { return gexf.Write(w, export.NewNetwork(s)) }, readGEXFRecords,
		[]string{"type", "date", "fatalities", "lat", "lon", "start", "end", "sub_type", "agent", "target"}},
}

func TestDatasetRecordsInEveryFormat(t *testing.T) {
	db := exporttest.OpenDatasets(t)
	ctx := context.Background()
	all := append(slices.Clone(exporttest.UCDPIDs), exporttest.ACLEDIDs...)
	slices.Sort(all)
	snap := func(f faultline.SnapshotFilter) *faultline.Snapshot {
		s, err := db.Snapshot(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ttp, err := db.FindEntity(ctx, "Tehrik-i-Taliban Pakistan")
	if err != nil {
		t.Fatal(err)
	}
	hood, err := snap(faultline.SnapshotFilter{}).Neighbourhood(ttp.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		snap *faultline.Snapshot
		want []string // record ids
	}{
		{"everything", snap(faultline.SnapshotFilter{}), all},
		{"up to amber: both files", snap(faultline.SnapshotFilter{MaxTLP: exporttest.ACLEDTLP}), all},
		{"up to green: not the amber ACLED file", snap(faultline.SnapshotFilter{MaxTLP: exporttest.UCDPTLP}), exporttest.UCDPIDs},
		{"up to clear: neither file", snap(faultline.SnapshotFilter{MaxTLP: faultline.TLPClear}), nil},
		{"since the UCDP import", snap(faultline.SnapshotFilter{Since: "2025-04-08"}), all},
		{"since after both imports", snap(faultline.SnapshotFilter{Since: "2025-04-12"}), nil},
		// The TTP's records: the clash and strikes it is a side of, the
		// attack it commits.
		{"1 hop of the TTP", hood, []string{"acled:SYN0001", "acled:SYN0002", "ucdp:900001", "ucdp:900002"}},
	}
	for _, f := range datasetFormats {
		for _, c := range cases {
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.write(&buf, c.snap); err != nil {
					t.Fatalf("write: %v", err)
				}
				got := f.read(t, buf.Bytes())
				if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, c.want) {
					t.Errorf("records %v, want %v", ids, c.want)
				}
				for id, want := range wantRecords {
					have, ok := got[id]
					if !ok {
						continue
					}
					for _, k := range f.carries {
						if w, ok := want[k]; ok && have[k] != w {
							t.Errorf("%s %s = %q, want %q", id, k, have[k], w)
						}
					}
				}
			})
		}
	}
}

// readCSVRecords reads the events table.
func readCSVRecords(t *testing.T, data []byte) map[string]recordFields {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("events.csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]recordFields{}
	for _, r := range rows[1:] {
		id := r[col["record_id"]]
		if id == "" {
			continue
		}
		f := recordFields{"type": r[col["type"]], "date": r[col["date"]], "fatalities": r[col["fatalities"]], "lat": r[col["record_lat"]],
			"lon": r[col["record_lon"]], "start": r[col["record_date_start"]], "end": r[col["record_date_end"]], "sub_type": r[col["record_sub_type"]],
			"line": r[col["record_line"]], "date_prec": r[col["record_date_prec"]], "place_prec": r[col["record_place_prec"]],
			"deaths_low": r[col["record_deaths_low"]], "deaths_high": r[col["record_deaths_high"]], "place": r[col["location"]],
			"source_text": r[col["record_source_text"]], "notes": r[col["record_notes"]]}
		for _, p := range strings.Split(r[col["participants"]], "; ") {
			if name, ok := strings.CutSuffix(p, " (agent)"); ok {
				f["agent"] = name
			}
			if name, ok := strings.CutSuffix(p, " (target)"); ok {
				f["target"] = name
			}
		}
		out[id] = f
	}
	return out
}

// readGeoJSONRecords reads the event features.
func readGeoJSONRecords(t *testing.T, data []byte) map[string]recordFields {
	t.Helper()
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Kind         string `json:"kind"`
				Type         string `json:"type"`
				Date         string `json:"date"`
				Location     string `json:"location"`
				Fatalities   *int   `json:"fatalities"`
				Participants []struct {
					Name, Role string
				} `json:"participants"`
				Record *faultline.EventRecord `json:"record"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatalf("geojson: %v", err)
	}
	out := map[string]recordFields{}
	for _, ft := range fc.Features {
		p, r := ft.Properties, ft.Properties.Record
		if r == nil {
			continue
		}
		f := recordFields{"type": p.Type, "date": p.Date, "fatalities": num(p.Fatalities),
			"lon": strconv.FormatFloat(ft.Geometry.Coordinates[0], 'f', -1, 64), "lat": strconv.FormatFloat(ft.Geometry.Coordinates[1], 'f', -1, 64),
			"start": r.DateStart, "end": r.DateEnd, "sub_type": r.SubType, "line": strconv.Itoa(r.Line), "date_prec": strconv.Itoa(r.DatePrec),
			"place_prec": strconv.Itoa(r.PlacePrec), "deaths_low": num(r.DeathsLow), "deaths_high": num(r.DeathsHigh), "place": p.Location,
			"source_text": r.SourceText, "notes": r.Notes, "target": ""}
		for _, pt := range p.Participants {
			f[pt.Role] = pt.Name
		}
		out[r.ID] = f
	}
	return out
}

func num(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// xmlGraph is what the graph formats hold: nodes and edges with their
// attributes, GraphML's data or GEXF's attvalues.
type xmlGraph struct {
	Nodes []xmlItem
	Edges []xmlItem
}

type xmlItem struct {
	ID     string `xml:"id,attr"`
	Label  string `xml:"label,attr"`
	Source string `xml:"source,attr"`
	Target string `xml:"target,attr"`
	Start  string `xml:"start,attr"`
	End    string `xml:"end,attr"`
	Data   []struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	} `xml:"data"`
	Values []struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	} `xml:"attvalues>attvalue"`
}

// attrs maps an item's attributes by name: GraphML keys lose their n_ or
// e_ prefix, GEXF ids are named by names.
func (it xmlItem) attrs(names map[string]string) map[string]string {
	m := map[string]string{}
	for _, d := range it.Data {
		m[d.Key[2:]] = d.Value
	}
	for _, v := range it.Values {
		m[names[v.For]] = v.Value
	}
	return m
}

// graphRecords reads the records of a graph: the event nodes with a
// record attribute, their sides by the participant edges.
func graphRecords(g xmlGraph, names map[string]string) map[string]recordFields {
	label := map[string]string{}
	for _, n := range g.Nodes {
		a := n.attrs(names)
		label[n.ID] = n.Label + a["label"]
	}
	out := map[string]recordFields{}
	byNode := map[string]recordFields{}
	for _, n := range g.Nodes {
		a := n.attrs(names)
		if a["record"] == "" {
			continue
		}
		start, end := a["start"]+n.Start, a["end"]+n.End
		f := recordFields{"type": a["type"], "date": a["date"], "fatalities": a["fatalities"], "lat": a["lat"], "lon": a["lon"],
			"start": start, "end": end, "sub_type": a["sub_type"], "target": ""}
		out[a["record"]], byNode[n.ID] = f, f
	}
	for _, e := range g.Edges {
		a := e.attrs(names)
		if f := byNode[e.Target]; f != nil && a["kind"] == export.ParticipantEdge {
			f[a["label"]+a["predicate"]] = label[e.Source]
		}
	}
	return out
}

func readGraphMLRecords(t *testing.T, data []byte) map[string]recordFields {
	t.Helper()
	var doc struct {
		Nodes []xmlItem `xml:"graph>node"`
		Edges []xmlItem `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("graphml: %v", err)
	}
	return graphRecords(xmlGraph{doc.Nodes, doc.Edges}, nil)
}

func readGEXFRecords(t *testing.T, data []byte) map[string]recordFields {
	t.Helper()
	var doc struct {
		Attributes []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
			} `xml:"attribute"`
		} `xml:"graph>attributes"`
		Nodes []xmlItem `xml:"graph>nodes>node"`
		Edges []xmlItem `xml:"graph>edges>edge"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("gexf: %v", err)
	}
	names := map[string]string{}
	for _, c := range doc.Attributes {
		for _, a := range c.Attrs {
			names[a.ID] = a.Title
		}
	}
	return graphRecords(xmlGraph{doc.Nodes, doc.Edges}, names)
}

// TestDatasetExportsReproducible exports the dataset fixture twice, from
// two databases built alike, in every format: the same bytes.
func TestDatasetExportsReproducible(t *testing.T) {
	outputs := func() map[string][]byte {
		db := exporttest.OpenDatasets(t)
		s, err := db.Snapshot(context.Background(), faultline.SnapshotFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range datasetFormats {
			var buf bytes.Buffer
			if err := f.write(&buf, s); err != nil {
				t.Fatal(err)
			}
			out[f.name] = buf.Bytes()
		}
		return out
	}
	a, b := outputs(), outputs()
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s: two exports of the same data differ", name)
		}
	}
}
