package server

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
)

// Hand-written encoders for the neighbourhood and profile answers, the
// API's hottest: reflection-based encoding/json spent half of a request's
// time on them.
// The output is byte for byte what encoding/json gives (TestFastJSON
// checks), HTML-sensitive characters escaped included.

const hexDigits = "0123456789abcdef"

// safeByte marks the ASCII bytes that go into a JSON string as they are:
// not a control character, quote, backslash or HTML-sensitive <, >, &.
var safeByte = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it with HTML escaping on.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look: ids, names and
		// dates, most of an answer, go through here.
		if i+8 <= len(s) && safe8(s[i:i+8]) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if safeByte[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// SWAR constants: a byte of ones, a byte of high bits, in every lane.
const (
	lanes1  = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// safe8 reports whether each of the eight bytes of s goes into a JSON
// string as it is (see safeByte). It may say no for bytes that are safe,
// never yes for one that is not.
func safe8(s string) bool {
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	bad := x&lanes80 | // not ASCII
		zeroByte(x&^(0x1f*lanes1)) | // a control character: nothing above its five low bits
		zeroByte(x^'"'*lanes1) | zeroByte(x^'\\'*lanes1) | zeroByte(x^'<'*lanes1) | zeroByte(x^'>'*lanes1) | zeroByte(x^'&'*lanes1)
	return bad == 0
}

// zeroByte has a high bit set where v has a zero byte (and perhaps in the
// lanes above one).
func zeroByte(v uint64) uint64 { return (v - lanes1) & ^v & lanes80 }

// appendFloat formats as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendRef appends the fields of an EntityRef, without braces.
func appendRef(b []byte, r *faultline.EntityRef) []byte {
	b = append(b, `"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, r.Name)
	b = append(b, `,"type":`...)
	b = appendString(b, string(r.Type))
	if r.Lat != nil {
		b = append(b, `,"lat":`...)
		b = appendFloat(b, *r.Lat)
	}
	if r.Lon != nil {
		b = append(b, `,"lon":`...)
		b = appendFloat(b, *r.Lon)
	}
	return b
}

// appendNeighbourhood appends nb as encoding/json would, with the
// trailing newline of json.Encoder.
func appendNeighbourhood(b []byte, nb *neighbourhood) []byte {
	b = append(b, `{"center":{`...)
	b = appendRef(b, &nb.Center)
	b = append(b, `},"nodes":[`...)
	for i := range nb.Nodes {
		n := &nb.Nodes[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNode(b, &n.EntityRef, n.Degree, n.Hop)
	}
	b = append(b, `],"edges":[`...)
	for i := range nb.Edges {
		e := &nb.Edges[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEdge(b, e.ID, e.Subject, e.Object, e.Predicate, e.Modality, e.Sources, e.Reliability, e.From, e.To)
	}
	b = append(b, `],"truncated":`...)
	b = strconv.AppendBool(b, nb.Truncated)
	return append(b, "}\n"...)
}

// appendNode appends a graphNode object.
func appendNode(b []byte, r *faultline.EntityRef, degree, hop int) []byte {
	b = append(b, '{')
	b = appendRef(b, r)
	b = append(b, `,"degree":`...)
	b = strconv.AppendInt(b, int64(degree), 10)
	b = append(b, `,"hop":`...)
	b = strconv.AppendInt(b, int64(hop), 10)
	return append(b, '}')
}

// appendEdge appends a graphEdge object.
func appendEdge(b []byte, id int32, subject, object string, p faultline.Predicate, m faultline.Modality, sources int,
	rely faultline.Reliability, from, to string) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, `,"subject":`...)
	b = appendString(b, subject)
	b = append(b, `,"object":`...)
	b = appendString(b, object)
	b = append(b, `,"predicate":`...)
	b = appendString(b, string(p))
	b = append(b, `,"modality":`...)
	b = appendString(b, string(m))
	b = append(b, `,"sources":`...)
	b = strconv.AppendInt(b, int64(sources), 10)
	if rely != "" {
		b = append(b, `,"best_reliability":`...)
		b = appendString(b, string(rely))
	}
	if from != "" {
		b = append(b, `,"from":`...)
		b = appendString(b, from)
	}
	if to != "" {
		b = append(b, `,"to":`...)
		b = appendString(b, to)
	}
	return append(b, '}')
}

// appendProfile appends p as encoding/json would, with the trailing
// newline of json.Encoder.
func appendProfile(b []byte, p *profile) []byte {
	b = append(b, `{"entity":`...)
	if p.Entity == nil {
		b = append(b, "null"...)
	} else {
		b = appendCard(b, p.Entity)
	}
	b = append(b, `,"ties":`...)
	if p.Ties == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Ties {
			if i > 0 {
				b = append(b, ',')
			}
			g := &p.Ties[i]
			b = append(b, `{"predicate":`...)
			b = appendString(b, string(g.Predicate))
			b = append(b, `,"ties":`...)
			if g.Ties == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j := range g.Ties {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendTie(b, &g.Ties[j])
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"tie_total":`...)
	b = strconv.AppendInt(b, int64(p.TieTotal), 10)
	b = append(b, `,"events":`...)
	if p.Events == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Events {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEvent(b, &p.Events[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"event_total":`...)
	b = strconv.AppendInt(b, int64(p.EventTotal), 10)
	return append(b, "}\n"...)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendEntityFields appends the fields of an Entity, without braces.
func appendEntityFields(b []byte, e *faultline.Entity) []byte {
	b = append(b, `"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, e.Name)
	b = append(b, `,"type":`...)
	b = appendString(b, string(e.Type))
	b = append(b, `,"aliases":`...)
	b = appendStrings(b, e.Aliases)
	if len(e.ExternalIDs) > 0 {
		b = append(b, `,"external_ids":[`...)
		for i, x := range e.ExternalIDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"scheme":`...)
			b = appendString(b, x.Scheme)
			b = append(b, `,"value":`...)
			b = appendString(b, x.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e.Lat != nil {
		b = append(b, `,"lat":`...)
		b = appendFloat(b, *e.Lat)
	}
	if e.Lon != nil {
		b = append(b, `,"lon":`...)
		b = appendFloat(b, *e.Lon)
	}
	if e.MergedInto != "" {
		b = append(b, `,"merged_into":`...)
		b = appendString(b, e.MergedInto)
	}
	return b
}

func appendCard(b []byte, c *faultline.EntityCard) []byte {
	b = append(b, '{')
	b = appendEntityFields(b, &c.Entity)
	if len(c.Merged) > 0 {
		b = append(b, `,"merged":[`...)
		for i := range c.Merged {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendEntityFields(b, &c.Merged[i])
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"sources":`...)
	if c.Sources == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range c.Sources {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSource(b, &c.Sources[i].Source)
			b = append(b[:len(b)-1], `,"mentions":`...)
			b = strconv.AppendInt(b, int64(c.Sources[i].Mentions), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"source_total":`...)
	b = strconv.AppendInt(b, int64(c.SourceTotal), 10)
	b = append(b, `,"mentions":`...)
	b = strconv.AppendInt(b, int64(c.Mentions), 10)
	return append(b, '}')
}

// appendSource appends a Source object, braces included.
func appendSource(b []byte, s *faultline.Source) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, s.ID, 10)
	b = append(b, `,"sha256":`...)
	b = appendString(b, s.SHA256)
	b = append(b, `,"title":`...)
	b = appendString(b, s.Title)
	for _, f := range []struct{ name, v string }{{"url", s.URL}, {"publisher", s.Publisher}, {"author", s.Author}, {"published", s.Published}, {"path", s.Path}} {
		if f.v != "" {
			b = append(b, `,"`...)
			b = append(b, f.name...)
			b = append(b, `":`...)
			b = appendString(b, f.v)
		}
	}
	b = append(b, `,"format":`...)
	b = appendString(b, s.Format)
	b = append(b, `,"reliability":`...)
	b = appendString(b, string(s.Reliability))
	b = append(b, `,"tlp":`...)
	b = appendString(b, string(s.TLP))
	if s.Text != "" {
		b = append(b, `,"text":`...)
		b = appendString(b, s.Text)
	}
	b = append(b, `,"chars":`...)
	b = strconv.AppendInt(b, int64(s.Chars), 10)
	b = append(b, `,"ingested_at":"`...)
	b = s.IngestedAt.AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...)
}

func appendTie(b []byte, t *tie) []byte {
	r := &t.Relation
	b = append(b, `{"subject":{`...)
	b = appendRef(b, &r.Subject)
	b = append(b, `},"predicate":`...)
	b = appendString(b, string(r.Predicate))
	b = append(b, `,"object":{`...)
	b = appendRef(b, &r.Object)
	b = append(b, `},"modality":`...)
	b = appendString(b, string(r.Modality))
	b = append(b, `,"sources":`...)
	b = strconv.AppendInt(b, int64(r.Sources), 10)
	b = append(b, `,"claims":`...)
	b = strconv.AppendInt(b, int64(r.Claims), 10)
	b = append(b, `,"denials":`...)
	b = strconv.AppendInt(b, int64(r.Denials), 10)
	b = append(b, `,"accepted":`...)
	b = strconv.AppendBool(b, r.Accepted)
	for _, f := range []struct{ name, v string }{{"valid_from", r.ValidFrom}, {"valid_to", r.ValidTo}, {"first_reported", r.FirstReported}, {"last_reported", r.LastReported}} {
		if f.v != "" {
			b = append(b, `,"`...)
			b = append(b, f.name...)
			b = append(b, `":`...)
			b = appendString(b, f.v)
		}
	}
	if len(r.Roles) > 0 {
		b = append(b, `,"roles":`...)
		b = appendStrings(b, r.Roles)
	}
	if len(r.SupportKinds) > 0 {
		b = append(b, `,"support_kinds":`...)
		b = appendStrings(b, r.SupportKinds)
	}
	b = append(b, `,"claim_ids":`...)
	b = appendStrings(b, r.ClaimIDs)
	b = append(b, `,"best_reliability":`...)
	b = appendString(b, string(t.Reliability))
	b = append(b, `,"other":{`...)
	b = appendRef(b, &t.Other)
	b = append(b, `},"direction":`...)
	b = appendString(b, t.Direction)
	if t.From != "" {
		b = append(b, `,"from":`...)
		b = appendString(b, t.From)
	}
	if t.To != "" {
		b = append(b, `,"to":`...)
		b = appendString(b, t.To)
	}
	return append(b, '}')
}

func appendEvent(b []byte, e *event) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"type":`...)
	b = appendString(b, string(e.Type))
	if e.Date != "" {
		b = append(b, `,"date":`...)
		b = appendString(b, e.Date)
	}
	if e.Location != nil {
		b = append(b, `,"location":{`...)
		b = appendRef(b, e.Location)
		b = append(b, '}')
	}
	b = append(b, `,"participants":`...)
	if e.Participants == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range e.Participants {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendRef(b, &e.Participants[i].EntityRef)
			b = append(b, `,"role":`...)
			b = appendString(b, string(e.Participants[i].Role))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e.Fatalities != nil {
		b = append(b, `,"fatalities":`...)
		b = strconv.AppendInt(b, int64(*e.Fatalities), 10)
	}
	if e.FatalitiesLow {
		b = append(b, `,"fatalities_is_lower_bound":true`...)
	}
	b = append(b, `,"modality":`...)
	b = appendString(b, string(e.Modality))
	b = append(b, `,"sources":`...)
	b = strconv.AppendInt(b, int64(e.Sources), 10)
	b = append(b, `,"denials":`...)
	b = strconv.AppendInt(b, int64(e.Denials), 10)
	b = append(b, `,"accepted":`...)
	b = strconv.AppendBool(b, e.Accepted)
	b = append(b, `,"claim_ids":`...)
	b = appendStrings(b, e.ClaimIDs)
	b = append(b, `,"best_reliability":`...)
	b = appendString(b, string(e.Reliability))
	return append(b, '}')
}
