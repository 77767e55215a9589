package server

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
)

func TestFastJSON(t *testing.T) {
	lat, lon, tiny := 33.72148, -73.5, 1e-7
	for _, s := range []string{"", "plain", `q"uote\back`, "<script>&amp;</script>", "tab\tnl\nctl\x01\x1f", "ünï €", "bad\xffutf8", "line\u2028sep\u2029", "ǅ"} {
		nb := &neighbourhood{
			Center: faultline.EntityRef{ID: "c", Name: s, Type: faultline.ArmedGroup, Lat: &lat, Lon: &lon},
			Nodes:  []graphNode{{EntityRef: faultline.EntityRef{ID: s, Name: "n", Lat: &tiny, Lon: &lon}, Degree: 3, Hop: 1}},
			Edges: []graphEdge{{ID: 7, Subject: "a", Object: s, Predicate: faultline.Supports, Modality: faultline.Alleged, Sources: 2, Reliability: "B", From: "2001"},
				{ID: 8, Subject: "b", Object: "c", Predicate: faultline.HostileTo, Modality: faultline.Asserted, Sources: 1, To: s}},
			Truncated: true,
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(nb); err != nil {
			t.Fatal(err)
		}
		if got := appendNeighbourhood(nil, nb); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("for %q:\n got %s\nwant %s", s, got, want.Bytes())
		}
	}
	// Every byte at every offset of a long string, against the eight-byte
	// fast path.
	for c := range 256 {
		for at := range 17 {
			s := strings.Repeat("a", at) + string([]byte{byte(c)}) + strings.Repeat("Z", 17-at)
			want, _ := json.Marshal(s)
			if got := appendString(nil, s); !bytes.Equal(got, want) {
				t.Fatalf("byte %#x at %d: got %s, want %s", c, at, got, want)
			}
		}
	}
	empty := &neighbourhood{Nodes: []graphNode{}, Edges: []graphEdge{}}
	var want bytes.Buffer
	json.NewEncoder(&want).Encode(empty)
	if got := appendNeighbourhood(nil, empty); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("empty:\n got %s\nwant %s", got, want.Bytes())
	}
}
