package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/faultline-osint/faultline"
)

// feature is a GeoJSON Feature (RFC 7946) with a Point geometry.
type feature struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Geometry   point  `json:"geometry"`
	Properties any    `json:"properties"` // placeProps or eventProps
}

// placeProps and eventProps are the properties of a feature, their fields
// in the order of their names: structs rather than maps, which encode many
// times faster (a dataset's export has hundreds of thousands of events).
type placeProps struct {
	Aliases []string             `json:"aliases"`
	ID      string               `json:"id"`
	Kind    string               `json:"kind"`
	Name    string               `json:"name"`
	Sources int                  `json:"sources"`
	Type    faultline.EntityType `json:"type"`
}

type eventProps struct {
	ClaimIDs      []string               `json:"claim_ids"`
	Date          string                 `json:"date"`
	Denials       int                    `json:"denials"`
	Fatalities    *int                   `json:"fatalities,omitempty"`
	FatalitiesLow *bool                  `json:"fatalities_is_lower_bound,omitempty"` // with fatalities only
	ID            string                 `json:"id"`
	Kind          string                 `json:"kind"`
	Label         string                 `json:"label"`
	Location      string                 `json:"location"`
	LocationID    string                 `json:"location_id"`
	Modality      faultline.Modality     `json:"modality"`
	Participants  []participantProps     `json:"participants"`
	Record        *faultline.EventRecord `json:"record,omitempty"`
	Sources       int                    `json:"sources"`
	Type          faultline.EventType    `json:"type"`
}

type participantProps struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
	Type string `json:"type"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude
}

// WriteGeoJSON writes a FeatureCollection of the places with coordinates
// (properties kind "place", id, name, type, aliases, sources) and of the
// events whose place has coordinates (kind "event", id, type, date,
// location, participants with roles, fatalities, modality, sources,
// claim_ids), places first, each ordered by id. A dataset record's event is
// at the record's own coordinates when it gives them (they are often more
// exact than its place's) and carries the record whole in "record" (see
// faultline.EventRecord). Events without coordinates are left out rather
// than given a null geometry, which many GIS tools reject. One feature per
// line keeps diffs readable.
func WriteGeoJSON(w io.Writer, s *faultline.Snapshot) error {
	var feats []feature
	for _, e := range s.Entities {
		if e.Lat == nil || e.Lon == nil {
			continue
		}
		aliases := e.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		feats = append(feats, feature{Type: "Feature", ID: e.ID, Geometry: pointAt(*e.Lat, *e.Lon), Properties: &placeProps{
			Kind: "place", ID: e.ID, Name: e.Name, Type: e.Type, Aliases: aliases, Sources: len(s.Mentions[e.ID]),
		}})
	}
	places := len(feats)
	for _, ev := range s.Events {
		var lat, lon *float64
		if ev.Location != nil {
			lat, lon = ev.Location.Lat, ev.Location.Lon
		}
		if r := ev.Record; r != nil && r.Lat != nil && r.Lon != nil {
			lat, lon = r.Lat, r.Lon
		}
		if lat == nil || lon == nil {
			continue
		}
		var locID, loc string
		if ev.Location != nil {
			locID, loc = ev.Location.ID, ev.Location.Name
		}
		parts := make([]participantProps, 0, len(ev.Participants))
		for _, p := range ev.Participants {
			parts = append(parts, participantProps{ID: p.ID, Name: p.Name, Type: string(p.Type), Role: string(p.Role)})
		}
		props := &eventProps{
			Kind: "event", ID: ev.ID, Type: ev.Type, Label: EventLabel(&ev), Date: ev.Date,
			LocationID: locID, Location: loc, Participants: parts,
			Modality: ev.Modality, Sources: ev.Sources, Denials: ev.Denials, ClaimIDs: ev.ClaimIDs, Record: ev.Record,
		}
		if ev.Fatalities != nil {
			low := ev.FatalitiesLow
			props.Fatalities, props.FatalitiesLow = ev.Fatalities, &low
		}
		feats = append(feats, feature{Type: "Feature", ID: ev.ID, Geometry: pointAt(*lat, *lon), Properties: props})
	}
	sortFeatures(feats[:places])
	sortFeatures(feats[places:])
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range feats {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("geojson: %w", err)
		}
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write geojson: %w", err)
	}
	return nil
}

func pointAt(lat, lon float64) point {
	return point{Type: "Point", Coordinates: [2]float64{lon, lat}}
}

func sortFeatures(fs []feature) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].ID < fs[j].ID })
}
