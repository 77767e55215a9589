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
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   point          `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude
}

// WriteGeoJSON writes a FeatureCollection of the places with coordinates
// (properties kind "place", id, name, type, aliases, sources) and of the
// events whose place has coordinates (kind "event", id, type, date,
// location, participants with roles, fatalities, modality, sources,
// claim_ids), places first, each ordered by id. Events without a located
// place are left out rather than given a null geometry, which many GIS
// tools reject. One feature per line keeps diffs readable.
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
		feats = append(feats, feature{Type: "Feature", ID: e.ID, Geometry: pointAt(*e.Lat, *e.Lon), Properties: map[string]any{
			"kind": "place", "id": e.ID, "name": e.Name, "type": e.Type, "aliases": aliases, "sources": len(s.Mentions[e.ID]),
		}})
	}
	places := len(feats)
	for _, ev := range s.Events {
		if ev.Location == nil || ev.Location.Lat == nil || ev.Location.Lon == nil {
			continue
		}
		parts := make([]map[string]string, 0, len(ev.Participants))
		for _, p := range ev.Participants {
			parts = append(parts, map[string]string{"id": p.ID, "name": p.Name, "type": string(p.Type), "role": string(p.Role)})
		}
		props := map[string]any{
			"kind": "event", "id": ev.ID, "type": ev.Type, "label": EventLabel(&ev), "date": ev.Date,
			"location_id": ev.Location.ID, "location": ev.Location.Name, "participants": parts,
			"modality": ev.Modality, "sources": ev.Sources, "denials": ev.Denials, "claim_ids": ev.ClaimIDs,
		}
		if ev.Fatalities != nil {
			props["fatalities"] = *ev.Fatalities
			props["fatalities_is_lower_bound"] = ev.FatalitiesLow
		}
		feats = append(feats, feature{Type: "Feature", ID: ev.ID, Geometry: pointAt(*ev.Location.Lat, *ev.Location.Lon), Properties: props})
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
