package dictgen

import (
	"maps"
	"slices"
	"testing"
)

func TestGivenTokens(t *testing.T) {
	tests := []struct {
		form        string
		familyFirst bool
		want        []string
	}{
		{"ZAWAHIRI, Ayman al-", false, []string{"ayman", "al"}},
		{"BIN LADIN, Usama bin Muhammad bin Awad", false, []string{"usama", "bin", "muhammad", "bin", "awad"}},
		{"TERLIKOV, Andrey Leonidovich", false, []string{"andrey", "leonidovich"}},
		{"Abu Muhammad al-Jawlani", false, []string{"abu", "muhammad"}},
		{"Abd al-Rahman Salah al-Din Haddad", false, []string{"abd", "al", "salah", "al"}},
		{"Haji Abdul Sattar Barakzai", false, []string{"haji", "abdul", "sattar"}},
		{"Jérôme Kakwavu", false, []string{"jerome"}},
		{"Cho Yong Chol", true, []string{"yong", "chol"}},
		{"Kabir", false, nil},
		{"عبدالله السندي", false, nil},
	}
	for _, tt := range tests {
		if got := givenTokens(tt.form, tt.familyFirst); !slices.Equal(got, tt.want) {
			t.Errorf("givenTokens(%q, %v): got %q, want %q", tt.form, tt.familyFirst, got, tt.want)
		}
	}
}

func TestAliasForms(t *testing.T) {
	tests := []struct {
		cell string
		want []string
	}{
		{"عبدالله السندي (Abdullah Sindhi)", []string{"Abdullah Sindhi"}},
		{"حسن غول (Hassan Ghul; Hassan Gul;\nHasan Gul)", []string{"Hassan Ghul", "Hassan Gul", "Hasan Gul"}},
		{"Encep Nurjaman (birth name)", []string{"Encep Nurjaman"}},
		{"Amir Khazmat (original script: Амир Хазмат)", []string{"Amir Khazmat"}},
		{"Abdul Rehman; Abd Ur-Rehman; Abdur Rahman", []string{"Abdul Rehman", "Abd Ur-Rehman", "Abdur Rahman"}},
		{") Abdelrahman Mouhamad Zafir", []string{"Abdelrahman Mouhamad Zafir"}},
		{`"ZUBEYR, Abu"`, []string{"ZUBEYR, Abu"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := aliasForms(tt.cell); !slices.Equal(got, tt.want) {
			t.Errorf("aliasForms(%q): got %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestRejectGivenName(t *testing.T) {
	tests := map[string]string{
		"ahmed": "", "abu": "", "abd": "", "abdul": "", "jose": "", "kandahar": "", // a town may be a name
		"ab": RejectShape, "Ahmed": RejectShape, "ahmed2": RejectShape, "أحمد": RejectShape,
		"mullah": RejectParticle, "haji": RejectParticle, "bin": RejectParticle, "sheikh": RejectParticle,
		"leonidovich": RejectPatronymic, "ivanovna": RejectPatronymic, "ogly": RejectPatronymic,
		"general": RejectParticle, "said": RejectCommon, "january": RejectCommon, "army": RejectCommon,
		"jordan": RejectCountry, "afghan": RejectCountry, "pakistani": RejectCountry, "hong": RejectCountry,
	}
	for _, tok := range slices.Sorted(maps.Keys(tests)) {
		got, err := RejectGivenName(tok)
		if err != nil {
			t.Fatal(err)
		}
		if want := tests[tok]; got != want {
			t.Errorf("RejectGivenName(%q): got %q, want %q", tok, got, want)
		}
	}
}

func TestTallyUN(t *testing.T) {
	inds := []unIndividual{
		{FirstName: "AYMAN", SecondName: "MUHAMMED", ThirdName: "RABI", FourthName: "AL-ZAWAHIRI ", ListType: "Al-Qaida",
			Aliases: []unAlias{{"Good", "Abu Muhammad"}, {"Good", "Ayman al-Zawahiri"}, {"Low", "Doctor Radio Ayman"}}},
		{FirstName: "KIM", SecondName: "YONG CHOL", ListType: "DPRK", Aliases: []unAlias{{"Good", "Kim Yong-chol"}}},
		{FirstName: "SHAMSUDDIN", ListType: "Taliban"},
		{FirstName: "JOSEPH", SecondName: "KONY", ListType: "CAR"},
		{FirstName: "  ", ListType: "CAR"},
	}
	tl := &nameTally{records: map[string]int{}, unFirst: map[string]bool{}}
	if n := tl.addUN(inds); n != 4 {
		t.Errorf("records read: got %d, want 4", n)
	}
	wantFirst := []string{"ayman", "chol", "joseph", "shamsuddin", "yong"}
	if got := slices.Sorted(maps.Keys(tl.unFirst)); !slices.Equal(got, wantFirst) {
		t.Errorf("UN first names: got %q, want %q", got, wantFirst)
	}
	wantRecords := map[string]int{"ayman": 1, "muhammed": 1, "rabi": 1, "abu": 1,
		"yong": 1, "chol": 1, "shamsuddin": 1, "joseph": 1}
	if !maps.Equal(tl.records, wantRecords) {
		t.Errorf("records: got %v, want %v", tl.records, wantRecords)
	}
}

func TestTallyOFAC(t *testing.T) {
	row := func(id, name, typ string) []string {
		return []string{id, name, typ, "SDNT", "-0- ", "-0- ", "-0- ", "-0- ", "-0- ", "-0- ", "-0- ", "-0- "}
	}
	rows := [][]string{
		row("1", "RODRIGUEZ OREJUELA, Gilberto Jose", "individual"),
		row("2", "AMEZCUA CONTRERAS, Jose de Jesus", "individual"),
		row("3", "JOSE TRADING CO., LTD.", "-0- "),
		{"4", "SHORT ROW"},
	}
	alts := map[string][]string{"1": {"RODRIGUEZ, Jose", "Pepe Rodriguez"}, "9": {"DELISTED, Jose"}}
	tl := &nameTally{records: map[string]int{}, unFirst: map[string]bool{}}
	if n := tl.addOFAC(rows, alts); n != 2 {
		t.Errorf("records read: got %d, want 2", n)
	}
	want := map[string]int{"gilberto": 1, "jose": 2, "pepe": 1, "de": 1, "jesus": 1}
	if !maps.Equal(tl.records, want) {
		t.Errorf("records: got %v, want %v", tl.records, want)
	}
}
