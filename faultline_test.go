package faultline_test

import (
	"errors"
	"fmt"
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Al-Qa'ida", "al qa ida"},
		{"the Haqqani Network", "haqqani network"},
		{"Tehrik-e-Taliban  Pakistan", "tehrik e taliban pakistan"},
		{"Pakistan’s", "pakistan s"},
		{"Çağlayan", "caglayan"},
		{"Jaish al-ʿAdl", "jaish al adl"},
		{"Qurʾan", "quran"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := faultline.NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidRelation(t *testing.T) {
	tests := []struct {
		s    faultline.EntityType
		p    faultline.Predicate
		o    faultline.EntityType
		want bool
	}{
		{faultline.Person, faultline.Leads, faultline.ArmedGroup, true},
		{faultline.ArmedGroup, faultline.Leads, faultline.ArmedGroup, false},
		{faultline.Country, faultline.Supports, faultline.ArmedGroup, true},
		{faultline.ArmedGroup, faultline.BasedIn, faultline.Location, true},
		{faultline.ArmedGroup, faultline.BasedIn, faultline.ArmedGroup, false},
		{faultline.Location, faultline.LocatedIn, faultline.Country, true},
		{faultline.GovernmentBody, faultline.PartOf, faultline.Country, true},
		{faultline.Location, faultline.Supports, faultline.ArmedGroup, false},
		{faultline.ArmedGroup, "funds", faultline.ArmedGroup, false},
	}
	for _, tt := range tests {
		if got := faultline.ValidRelation(tt.s, tt.p, tt.o); got != tt.want {
			t.Errorf("ValidRelation(%s, %s, %s) = %v, want %v", tt.s, tt.p, tt.o, got, tt.want)
		}
	}
}

func TestSameKind(t *testing.T) {
	tests := []struct {
		a, b faultline.EntityType
		want bool
	}{
		{faultline.ArmedGroup, faultline.PoliticalParty, true},
		{faultline.GovernmentBody, faultline.Organization, true},
		{faultline.Person, faultline.Person, true},
		{faultline.Person, faultline.ArmedGroup, false},
		{faultline.Country, faultline.Location, false},
		{faultline.Location, faultline.ArmedGroup, false},
	}
	for _, tt := range tests {
		if got := faultline.SameKind(tt.a, tt.b); got != tt.want {
			t.Errorf("SameKind(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseTLPAndReliability(t *testing.T) {
	for in, want := range map[string]faultline.TLP{"amber": faultline.TLPAmber, "TLP:RED": faultline.TLPRed,
		"white": faultline.TLPClear, "Amber+Strict": faultline.TLPAmberStrict} {
		if got, err := faultline.ParseTLP(in); err != nil || got != want {
			t.Errorf("ParseTLP(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := faultline.ParseTLP("purple"); faultline.ErrorCode(err) != faultline.EINVALID {
		t.Errorf("ParseTLP(purple): code %q, want invalid", faultline.ErrorCode(err))
	}
	if r, err := faultline.ParseReliability("b"); err != nil || r != "B" {
		t.Errorf("ParseReliability(b) = %q, %v", r, err)
	}
	if _, err := faultline.ParseReliability("G"); err == nil {
		t.Error("ParseReliability(G): want an error")
	}
	if !(faultline.Asserted.Strength() > faultline.Reported.Strength() && faultline.Possible.Strength() > faultline.Denied.Strength()) {
		t.Error("modality strengths out of order")
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("disk full")
	err := fmt.Errorf("ingest a.txt: %w", faultline.Errorf(faultline.EINVALID, "a.txt: %w", cause))
	if faultline.ErrorCode(err) != faultline.EINVALID || !errors.Is(err, cause) {
		t.Errorf("code %q, is cause %v", faultline.ErrorCode(err), errors.Is(err, cause))
	}
	if got := faultline.ErrorMessage(err); got != "a.txt: disk full" {
		t.Errorf("message %q", got)
	}
	if faultline.ErrorCode(cause) != faultline.EINTERNAL || faultline.ErrorCode(nil) != "" {
		t.Error("codes of plain and nil errors")
	}
}
