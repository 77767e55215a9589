package dictionary_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
)

func TestLoadYAML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []dictionary.Entry
		wantErr string // substring of the error; "" for success
	}{
		{
			name: "list",
			in: `
- name: Khyber Hawks
  type: armed_group
  aliases: [KH Brigade, KHB, army]
  country: pk
- key: my-ministry
  name: Ministry of Tribal Affairs
  type: government_body
  parent: country-pk
`,
			want: []dictionary.Entry{
				{Key: "user-khyber-hawks", Name: "Khyber Hawks", Type: faultline.ArmedGroup,
					Aliases: []string{"KH Brigade", "KHB"}, CaseSensitive: []string{"KHB"}, Country: "PK"},
				{Key: "my-ministry", Name: "Ministry of Tribal Affairs", Type: faultline.GovernmentBody, Parent: "country-pk"},
			},
		},
		{
			name: "entries mapping",
			in:   "entries:\n  - name: Delta Group\n    type: organization\n    aliases: [Delta Grp]\n    case_sensitive: [Delta Grp]\n",
			want: []dictionary.Entry{{Key: "user-delta-group", Name: "Delta Group", Type: faultline.Organization,
				Aliases: []string{"Delta Grp"}, CaseSensitive: []string{"Delta Grp"}}},
		},
		{name: "empty", in: "", want: nil},
		{name: "bad type", in: "- name: A\n  type: armed_group\n- name: B\n  type: armed_group\n- name: C\n  type: gang\n",
			wantErr: `mydict.yaml: entry 3 (line 5): type "gang" is not one of person, armed_group, country, government_body, political_party, organization, location`},
		{name: "missing name", in: "- type: armed_group\n  aliases: [X]\n", wantErr: "mydict.yaml: entry 1 (line 1): name is missing"},
		{name: "missing type", in: "- name: A\n", wantErr: "mydict.yaml: entry 1 (line 1): type is missing"},
		{name: "bad country", in: "- name: A\n  type: country\n  country: Pakistan\n", wantErr: `country "Pakistan"`},
		{name: "case_sensitive not a name", in: "- name: A Group\n  type: armed_group\n  case_sensitive: [AG]\n", wantErr: `case_sensitive "AG" is neither`},
		{name: "malformed", in: "- name: [unclosed\n", wantErr: "mydict.yaml: yaml:"},
		{name: "wrong shape", in: "name: A\ntype: armed_group\n", wantErr: "mydict.yaml: line 1: want a list of entries"},
		{name: "wrong field type", in: "- name: A\n  type: armed_group\n  aliases: {a: b}\n", wantErr: "mydict.yaml: entry 1 (line 1):"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dictionary.LoadYAML(strings.NewReader(tt.in), "mydict.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadYAML: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("entries: got %d (%+v), want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Key != w.Key || g.Name != w.Name || g.Type != w.Type || g.Country != w.Country || g.Parent != w.Parent ||
					!slices.Equal(g.Aliases, w.Aliases) || !slices.Equal(g.CaseSensitive, w.CaseSensitive) {
					t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "extra.yaml")
	if err := os.WriteFile(path, []byte("- name: Local Militia X\n  type: armed_group\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := dictionary.LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	d := MustDefault(t).With(entries...)
	if got := d.Lookup("local militia x"); len(got) != 1 || got[0].Key != "user-local-militia-x" {
		t.Errorf("Lookup after With: got %v", got)
	}
	if _, err := dictionary.LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("LoadFile of a missing file: got nil error")
	}
}

func FuzzLoadYAML(f *testing.F) {
	f.Add("- name: A\n  type: armed_group\n  aliases: [AA, the Base]\n")
	f.Add("entries:\n  - {name: B, type: organization, country: us}\n")
	f.Add("- name: C\n  type: gang\n")
	f.Add("[1, 2")
	f.Add("- name: ﺍﻟﻘﺎﻋﺪﺓ\n  type: armed_group\n")
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := dictionary.LoadYAML(strings.NewReader(in), "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the source: %v", err)
			}
			return
		}
		for _, e := range entries {
			if e.Key == "" || e.Name == "" || !e.Type.Valid() {
				t.Fatalf("invalid entry accepted: %+v", e)
			}
			for _, a := range e.Aliases {
				if !dictionary.SafeAlias(a) {
					t.Fatalf("unsafe alias kept: %q", a)
				}
			}
		}
		_ = dictionary.New(entries...).Entries()
	})
}
