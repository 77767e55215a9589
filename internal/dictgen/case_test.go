package dictgen

import (
	"slices"
	"testing"
)

func TestSplitNameAndCase(t *testing.T) {
	upper := map[string]bool{"ISIL": true, "IRGC": true}
	tests := []struct {
		in        string
		wantName  string
		wantShort []string
	}{
		{"TEHRIK-E TALIBAN PAKISTAN (TTP)", "Tehrik-e Taliban Pakistan", []string{"TTP"}},
		{"HARAKAT UL-MUJAHIDIN / HUM", "Harakat ul-Mujahidin", []string{"HUM"}},
		{"AL-HARAMAYN FOUNDATION (KENYA)", "Al-Haramayn Foundation (Kenya)", nil},
		{"ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)", "Islamic State in Iraq and the Levant - Khorasan", []string{"ISIL-K"}},
		{"THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB", "The Organization of al-Qaida in the Islamic Maghreb", nil},
		{"ISIL KHORASAN", "ISIL Khorasan", nil},
		{"KURDISTAN WORKERS' PARTY", "Kurdistan Workers' Party", nil},
		{"Jaysh Khalid Ibn al Waleed", "Jaysh Khalid Ibn al Waleed", nil},
	}
	for _, tt := range tests {
		isPlace := func(s string) bool { return s == "KENYA" }
		name, short := splitName(tt.in, isPlace)
		if got := displayCase(name, upper); got != tt.wantName || !slices.Equal(short, tt.wantShort) {
			t.Errorf("splitName+displayCase(%q): got %q %q, want %q %q", tt.in, got, short, tt.wantName, tt.wantShort)
		}
	}
}

func TestSplitAlias(t *testing.T) {
	in := "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hay’at Tahrir al-Sham; Tahrir al-Sham Hay’at)"
	got := splitAlias(in, nil)
	want := []string{"Hay’at Tahrir al-Sham", "HTS", "Hay’at Tahrir al-Sham", "Tahrir al-Sham Hay’at"}
	if !slices.Equal(got, want) {
		t.Errorf("splitAlias: got %q, want %q", got, want)
	}
}
