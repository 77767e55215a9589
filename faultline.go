// Package faultline holds the domain of the Faultline conflict-intelligence
// workbench: sources, entities, claims, the closed vocabularies they use, the
// extraction format, and the service interfaces the store implements.
//
// The package does no I/O: it imports no database/sql and no net/http. Storage
// lives in sqlite (and later postgres), extraction in extract, and the command
// line in cmd/faultline.
package faultline

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// EntityType is the closed set of entity kinds an extraction may produce.
type EntityType string

// Entity types, as listed in schema/extraction-v1.md.
const (
	Person         EntityType = "person"
	ArmedGroup     EntityType = "armed_group"
	Country        EntityType = "country"
	GovernmentBody EntityType = "government_body"
	PoliticalParty EntityType = "political_party"
	Organization   EntityType = "organization"
	Location       EntityType = "location"
)

// EntityTypes lists every valid entity type in a stable order.
var EntityTypes = []EntityType{Person, ArmedGroup, Country, GovernmentBody, PoliticalParty, Organization, Location}

// Valid reports whether t is one of the closed entity types.
func (t EntityType) Valid() bool {
	for _, v := range EntityTypes {
		if t == v {
			return true
		}
	}
	return false
}

// IsActor reports whether entities of this type can act (support, fight,
// lead); places cannot.
func (t EntityType) IsActor() bool { return t != Location && t != "" }

// IsGroup reports whether entities of this type are organisations of some
// kind: armed groups, organizations, government bodies, political parties.
func (t EntityType) IsGroup() bool {
	return t == ArmedGroup || t == Organization || t == GovernmentBody || t == PoliticalParty
}

// SameKind reports whether a name of type a and a name of type b may denote
// one entity: the same type, or two kinds of group, since sources disagree
// about whether a militia is an armed group, a party or an organisation.
func SameKind(a, b EntityType) bool {
	return a == b || a.IsGroup() && b.IsGroup()
}

// Predicate is the closed set of relation predicates.
type Predicate string

// Relation predicates, subject → object.
const (
	PartOf         Predicate = "part_of"
	Leads          Predicate = "leads"
	MemberOf       Predicate = "member_of"
	AffiliatedWith Predicate = "affiliated_with"
	AlliedWith     Predicate = "allied_with"
	Supports       Predicate = "supports"
	HostileTo      Predicate = "hostile_to"
	BasedIn        Predicate = "based_in"
	ActiveIn       Predicate = "active_in"
	LocatedIn      Predicate = "located_in"
)

// Predicates lists every valid predicate in a stable order.
var Predicates = []Predicate{PartOf, Leads, MemberOf, AffiliatedWith, AlliedWith, Supports, HostileTo, BasedIn, ActiveIn, LocatedIn}

// Valid reports whether p is one of the closed predicates.
func (p Predicate) Valid() bool {
	for _, v := range Predicates {
		if p == v {
			return true
		}
	}
	return false
}

// Symmetric reports whether the predicate holds in both directions.
func (p Predicate) Symmetric() bool {
	return p == AffiliatedWith || p == AlliedWith || p == HostileTo
}

// ValidRelation reports whether a relation of predicate p may join a subject
// of type s to an object of type o. It is the one place the vocabulary's
// type constraints are checked.
func ValidRelation(s EntityType, p Predicate, o EntityType) bool {
	if !s.Valid() || !p.Valid() || !o.Valid() {
		return false
	}
	place := func(t EntityType) bool { return t == Location || t == Country }
	switch p {
	case Leads, MemberOf:
		return s == Person && o.IsActor() && o != Person
	case BasedIn, ActiveIn:
		return s.IsActor() && place(o)
	case LocatedIn:
		return place(s) && place(o)
	case PartOf:
		return s != Person && o != Location
	default: // affiliated_with, allied_with, supports, hostile_to
		return s.IsActor() && o.IsActor()
	}
}

// EventType is the closed set of event kinds.
type EventType string

// Event types, as listed in schema/extraction-v1.md.
const (
	Attack         EventType = "attack"
	Raid           EventType = "raid"
	Strike         EventType = "strike"
	Clash          EventType = "clash"
	Arrest         EventType = "arrest"
	Extradition    EventType = "extradition"
	Killing        EventType = "killing"
	Declaration    EventType = "declaration"
	Statement      EventType = "statement"
	Designation    EventType = "designation"
	Founding       EventType = "founding"
	Relocation     EventType = "relocation"
	Withdrawal     EventType = "withdrawal"
	SeizureOfPower EventType = "seizure_of_power"
	Agreement      EventType = "agreement"
)

// EventTypes lists every valid event type in a stable order.
var EventTypes = []EventType{Attack, Raid, Strike, Clash, Arrest, Extradition, Killing, Declaration, Statement, Designation, Founding, Relocation, Withdrawal, SeizureOfPower, Agreement}

// Valid reports whether t is one of the closed event types.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if t == v {
			return true
		}
	}
	return false
}

// ParticipantRole is the role an entity plays in an event.
type ParticipantRole string

// Participant roles.
const (
	RoleAgent       ParticipantRole = "agent"
	RoleTarget      ParticipantRole = "target"
	RoleDestination ParticipantRole = "destination"
	RoleOther       ParticipantRole = "other"
)

// Valid reports whether r is one of the closed participant roles.
func (r ParticipantRole) Valid() bool {
	switch r {
	case RoleAgent, RoleTarget, RoleDestination, RoleOther:
		return true
	}
	return false
}

// Modality is how firmly the source states a claim.
type Modality string

// Modalities, from the extraction format.
const (
	Asserted Modality = "asserted"
	Reported Modality = "reported"
	Alleged  Modality = "alleged"
	Possible Modality = "possible"
	Denied   Modality = "denied"
)

// Valid reports whether m is one of the closed modalities.
func (m Modality) Valid() bool {
	switch m {
	case Asserted, Reported, Alleged, Possible, Denied:
		return true
	}
	return false
}

// Strength orders modalities from firmest (asserted, 4) to weakest (denied,
// 0), so that aggregates can keep the strongest modality of their claims.
func (m Modality) Strength() int {
	switch m {
	case Asserted:
		return 4
	case Reported:
		return 3
	case Alleged:
		return 2
	case Possible:
		return 1
	}
	return 0
}

// Reliability is the Admiralty-code grade of a source, A (completely
// reliable) to F (cannot be judged).
type Reliability string

// Valid reports whether r is a grade A–F.
func (r Reliability) Valid() bool {
	return len(r) == 1 && r[0] >= 'A' && r[0] <= 'F'
}

// ParseReliability accepts a grade in either case and returns it upper-cased.
func ParseReliability(s string) (Reliability, error) {
	r := Reliability(strings.ToUpper(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", Errorf(EINVALID, "reliability %q: want one letter A–F", s)
	}
	return r, nil
}

// TLP is a Traffic Light Protocol 2.0 marking.
type TLP string

// TLP 2.0 markings, from least to most restricted.
const (
	TLPClear       TLP = "clear"
	TLPGreen       TLP = "green"
	TLPAmber       TLP = "amber"
	TLPAmberStrict TLP = "amber+strict"
	TLPRed         TLP = "red"
)

// Level orders markings from clear (0) to red (4); -1 for an unknown marking.
func (t TLP) Level() int {
	switch t {
	case TLPClear:
		return 0
	case TLPGreen:
		return 1
	case TLPAmber:
		return 2
	case TLPAmberStrict:
		return 3
	case TLPRed:
		return 4
	}
	return -1
}

// ParseTLP accepts "amber", "TLP:AMBER", "amber+strict" and the like.
func ParseTLP(s string) (TLP, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimPrefix(v, "tlp:")
	if v == "white" { // TLP 1.0 name for clear
		v = "clear"
	}
	t := TLP(v)
	if t.Level() < 0 {
		return "", Errorf(EINVALID, "tlp %q: want clear, green, amber, amber+strict or red", s)
	}
	return t, nil
}

// CaseKey folds a case-sensitive name such as an acronym for matching: its
// letters and digits with their case kept, so "U.S.", "U.S" and "US" agree
// but "us" does not.
func CaseKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeName folds a name for matching: accents and modifier letters
// (the ʿayn and hamza marks of transliteration) removed, lower case,
// punctuation (hyphens, dots, apostrophes) turned to spaces, a leading
// "the" dropped, spaces collapsed. "Al-Qa'ida" and "al Qa ida" fold alike.
func NormalizeName(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Lm, r):
			// Accents and transliteration marks: "al-ʿAdl" folds as "al adl".
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimPrefix(out, "the ")
	return out
}
