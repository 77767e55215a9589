package extract_test

import (
	"fmt"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

// relationString renders a relation as "Subject predicate Object
// [modality]" with entity names, for readable failures.
func relationString(ext *faultline.Extraction, r faultline.ExtractedRelation) string {
	name := map[string]string{}
	for _, e := range ext.Entities {
		name[e.ID] = e.Name
	}
	s := fmt.Sprintf("%s %s %s [%s]", name[r.Subject], r.Predicate, name[r.Object], r.Modality)
	if r.AttributedTo != nil {
		s += " by " + name[*r.AttributedTo]
	}
	return s
}

// TestRelationConstructions holds the constructions the relation rules
// handle, one sentence each, written for this test. A want of "" means
// the text must yield no relation between the two names at all.
func TestRelationConstructions(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // relations, as relationString renders them
		not        []string // substrings no relation may contain
	}{
		{"coordinated objects", "The Haqqani network maintains links with Lashkar-e-Taiba, Jaish-e-Mohammed and Harkat-ul-Jihad al-Islami.",
			[]string{"Haqqani network affiliated_with Lashkar-e-Taiba [asserted]", "Haqqani network affiliated_with Jaish-e-Mohammed [asserted]",
				"Haqqani network affiliated_with Harkat-ul-Jihad al-Islami [asserted]"}, nil},
		{"apposition part", "Brigade 055, al-Qaeda's elite fighting arm, fought in Afghanistan.",
			[]string{"Brigade 055 part_of al-Qaeda [asserted]"}, nil},
		{"possessive part", "The Islamic State's news agency Amaq published the claim.",
			[]string{"Amaq part_of Islamic State [asserted]"}, nil},
		{"passive", "Tehrik-e-Taliban Pakistan was attacked by the Pakistan Army in 2014.",
			[]string{"Pakistan Army hostile_to Tehrik-e-Taliban Pakistan [asserted]"}, nil},
		{"passive expulsion", "Tehrik-e-Taliban Pakistan was forced out of the Swat valley by the Pakistan Army.",
			[]string{"Pakistan Army hostile_to Tehrik-e-Taliban Pakistan [asserted]"}, nil},
		{"anaphor across sentences", "The Baloch Liberation Army operates in Balochistan. The group is hostile to China.",
			[]string{"Baloch Liberation Army active_in Balochistan [asserted]", "Baloch Liberation Army hostile_to China [asserted]"}, nil},
		{"attribution", "According to Ayesha Siddiqa of King's College London, the Pakistan Army supports Lashkar-e-Taiba.",
			[]string{"Pakistan Army supports Lashkar-e-Taiba [reported] by Ayesha Siddiqa"}, nil},
		{"alleged", "The Taliban allegedly sheltered al-Qaeda leaders after 2001.",
			[]string{"Taliban supports al-Qaeda [alleged]"}, nil},
		{"possible", "Iran may be arming the Houthis.", []string{"Iran supports Houthis [possible]"}, nil},
		{"denied", "Islamabad denied supporting the Haqqani network.",
			[]string{"Pakistan supports Haqqani network [denied] by Pakistan"}, nil},
		{"negated", "The Haqqani network is not affiliated with the Islamic State.", nil, []string{"affiliated_with"}},
		{"irrealis", "Washington urged Islamabad to dismantle the Haqqani network.", nil, []string{"hostile_to"}},
		{"origin apposition", "Jaish al-Adl, a Sunni militant group based in Pakistan, has attacked Iranian border guards.",
			[]string{"Jaish al-Adl based_in Pakistan [asserted]"}, nil},
		{"valid from", "The Islamic Movement of Uzbekistan has been allied with the Taliban since 1998.",
			[]string{"Islamic Movement of Uzbekistan allied_with Taliban [asserted]"}, nil},
		{"leader apposition", "Hibatullah Akhundzada, the Taliban's supreme leader, rarely appears in public.",
			[]string{"Hibatullah Akhundzada leads Taliban [asserted]"}, nil},
		{"title of a state's government", "Secretary of State Hillary Clinton designated the network. The United States froze its assets.",
			[]string{"Hillary Clinton member_of United States [asserted]"}, nil},
		{"title after a country", "Georgia Secretary of State Brad Raffensperger spoke in Atlanta. The United States was silent.",
			nil, []string{"Brad Raffensperger member_of"}},
		{"state title from the sentence before", "Islamabad rejected the charge outright. Foreign Minister Hina Rabbani Khar warned Washington.",
			[]string{"Hina Rabbani Khar member_of Pakistan [asserted]"}, nil},
		{"state title: a demonym or a place is not the state", "Iranian officials said nine people died in Pakistan. Foreign Minister Ali Reza spoke.",
			nil, []string{"Ali Reza member_of"}},
		{"state title: the country the text is about", "Quetta and Gwadar are in Balochistan. Militants attacked Quetta in Pakistan. The United States condemned it.\n\nInterior Minister Mohsin Naqvi condemned the attackers.",
			[]string{"Mohsin Naqvi member_of Pakistan [asserted]"}, nil},
		{"state title: no country stands out", "Pakistan and Iran traded strikes. India and Pakistan met.\n\nForeign Minister Ali Reza spoke.",
			nil, []string{"Ali Reza member_of"}},
		{"definite description by the name's own noun", "The Haqqani Network grew inside the Afghan Taliban. The brief traces its ties to the Taliban state.\n\nThe network's founder, Jalaluddin Haqqani, fought the Soviets.",
			[]string{"Jalaluddin Haqqani leads Haqqani Network [asserted]"}, []string{"Jalaluddin Haqqani leads Taliban"}},
		{"took command of the group in context", "The TTP regrouped in Afghanistan. Noor Wali Mehsud took command in June 2018, after his predecessor, Mullah Fazlullah, was killed.",
			[]string{"Noor Wali Mehsud leads TTP [asserted]", "Mullah Fazlullah leads TTP [asserted]"}, nil},
		{"predecessor of a leader", "BLA chief Bashir Zeb Baloch has led the group since 2018, when his predecessor Aslam Baloch was killed in Kandahar.",
			[]string{"Bashir Zeb Baloch leads BLA [asserted]", "Aslam Baloch leads BLA [asserted]"}, nil},
		{"family name after al- that is also a group's", "The Houthis, a Zaydi movement from Saada, are led by Abdul-Malik al-Houthi.",
			[]string{"Abdul-Malik al-Houthi leads Houthis [asserted]"}, nil},
		{"fights from a place", "Jaish al-Adl is a Baloch militant group that fights Iran from the borderlands of Balochistan and Sistan and Baluchestan.",
			[]string{"Jaish al-Adl based_in Balochistan [asserted]", "Jaish al-Adl based_in Sistan and Baluchestan [asserted]"}, nil},
		{"launches attacks from sanctuaries", "The TTP launched raids from sanctuaries in Kunar and Nuristan.",
			[]string{"TTP based_in Kunar [asserted]", "TTP based_in Nuristan [asserted]"}, nil},
		{"fights from: not a place of origin", "The TTP fought from 2007 to 2014 against the army in Swat.", nil, []string{"based_in"}},
		{"with a supporter's support", "The Haqqani network carried out the attack with ISI support.",
			[]string{"ISI supports Haqqani network [asserted]"}, nil},
		{"with the backing of", "Lashkar-e-Taiba regrouped in Muridke with the backing of the ISI.",
			[]string{"ISI supports Lashkar-e-Taiba [asserted]"}, nil},
		{"instrument of", "Lashkar-e-Taiba acts as a proxy of the ISI.",
			[]string{"ISI supports Lashkar-e-Taiba [asserted]"}, nil},
		{"with support: a person's is no state support", "The TTP attacked Bannu with Noor Wali Mehsud's support.", nil, []string{"supports"}},
		{"object pronoun fills the slot", "Blinken said the Taliban had violated the Doha agreement by hosting him, and US officials said more.",
			nil, []string{"Taliban supports US"}},
		{"object pronoun is never its own subject", "The group's heartland lay in Nangarhar, where US and Afghan forces fought it for years.",
			nil, []string{"hostile_to United States", "hostile_to US"}},
		{"withheld presence", "Members of TRF may be refused entry to the United States.", nil, []string{"active_in"}},
		{"the one who links is not linked", "India struck sites in Pakistan that it linked to LeT.", nil, []string{"India affiliated_with"}},
		{"began as a wing of", "Al-Shabaab is a militant group in Somalia. The group began as the militant youth wing of the Islamic Courts Union (ICU).",
			[]string{"Al-Shabaab part_of Islamic Courts Union [asserted]"}, nil},
		{"the two as a pronoun", "JNIM competes with ISGS, and the two have fought each other since 2020.",
			[]string{"JNIM hostile_to ISGS [asserted]"}, nil},
		{"a state's junta led by", "Mali's junta, led by Colonel Assimi Goita, broke with France.",
			[]string{"Assimi Goita leads Mali [asserted]"}, nil},
		{"'the group' is not a group named Group", "The Wagner Group arrived in Mali in 2021. JNIM fights the junta. Analysts say the group now operates in Benin.",
			nil, []string{"Wagner Group active_in"}},
		{"took command of a named group", "Noor Wali Mehsud took command of the TTP in June 2018.",
			[]string{"Noor Wali Mehsud leads TTP [asserted]"}, nil},
		{"role before name", "ISKP commander Sanaullah Ghafari survived the strike.",
			[]string{"Sanaullah Ghafari member_of ISKP [asserted]"}, nil},
		{"town in a curated district", "Militants killed seven soldiers at an army post in Mir Ali, North Waziristan.",
			[]string{"Mir Ali located_in North Waziristan [asserted]"}, []string{"Mir Ali member_of"}},
		{"place in place", "Two bombs exploded in Kerman, Iran.", []string{"Kerman located_in Iran [asserted]"}, nil},
		{"alias", "Ahmed Abdi Godane, also known as Mukhtar Abu Zubair, led al-Shabaab from 2008.",
			[]string{"Ahmed Abdi Godane leads al-Shabaab [asserted]"}, nil},
		{"hyphenated tie", "The Iran-backed Houthis fired missiles at shipping.", []string{"Iran supports Houthis [asserted]"}, nil},
		{"between", "The fighting between the Taliban and the Islamic State Khorasan Province intensified.",
			[]string{"Taliban hostile_to Islamic State Khorasan Province [asserted]"}, nil},
		{"support from", "Help from Lebanon's Hezbollah had turned the Houthis into a capable force, according to UN experts.",
			[]string{"Hezbollah supports Houthis [reported] by UN"}, nil},
		{"possessive anaphor and role", "The Haqqani network is a militant group. The network's founder, Jalaluddin Haqqani, came from Paktia.",
			[]string{"Jalaluddin Haqqani leads Haqqani network [asserted]"}, nil},
		{"speaker is not the subject", "Yahya Saree said five fighters had been killed.", nil, []string{"Yahya Saree"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext := run(t, tt.text)
			got := map[string]bool{}
			var all []string
			for _, r := range ext.Relations {
				s := relationString(ext, r)
				got[s] = true
				all = append(all, s)
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("missing %q; got %q", w, all)
				}
			}
			for _, n := range tt.not {
				for _, s := range all {
					if strings.Contains(s, n) {
						t.Errorf("unwanted %q", s)
					}
				}
			}
			checkGraph(t, tt.text, ext)
		})
	}
}

// TestEventConstructions holds event types, dates, places and tolls on
// sentences written for this test.
func TestEventConstructions(t *testing.T) {
	tests := []struct {
		name, text string
		typ        faultline.EventType
		date, loc  string
		fat        int // -1: none
		low        bool
		agent      string
	}{
		{"participial toll", "In March 2025, the BLA hijacked a train near Quetta, killing at least 26 people.",
			faultline.Attack, "2025-03", "Quetta", 26, true, "BLA"},
		{"entering a capital that shares its province's name", "When Taliban fighters entered Kabul on 15 August 2021, prisons were thrown open.",
			faultline.SeizureOfPower, "2021-08-15", "Kabul", -1, false, "Taliban"},
		{"killed on a date in a bombing claimed by a group", "Khalil Haqqani was killed in December 2024 in a suicide bombing claimed by ISKP.",
			faultline.Attack, "2024-12", "", -1, false, "ISKP"},
		{"one event named twice in a sentence", "An attack carried out by the BLA killed 12 soldiers in Quetta in May 2024.",
			faultline.Attack, "2024-05", "Quetta", 12, false, "BLA"},
		{"a state fires missiles", "On 16 January 2024 the IRGC launched missiles and drones at militant hideouts in Panjgur district.",
			faultline.Strike, "2024-01-16", "Panjgur district", -1, false, "IRGC"},
		{"a group fires missiles", "On 12 March 2024 the Houthis fired missiles at a bulk carrier in the Gulf of Aden.",
			faultline.Attack, "2024-03-12", "Gulf of Aden", -1, false, "Houthis"},
		{"place, country", "On 3 January 2024, two bombs exploded in Kerman, Iran, killing 95 people.",
			faultline.Attack, "2024-01-03", "Kerman", 95, false, ""},
		{"dozens", "Dozens of people were killed when gunmen attacked a market in Peshawar on 5 May 2023.",
			faultline.Attack, "2023-05-05", "Peshawar", 24, true, ""},
		{"designation", "The United States designated Tehrik-e-Taliban Pakistan a Foreign Terrorist Organization in September 2010.",
			faultline.Designation, "2010-09", "", -1, false, "United States"},
		{"arrest", "Pakistan arrested Hafiz Saeed in July 2019.", faultline.Arrest, "2019-07", "", -1, false, "Pakistan"},
		{"noun with year", "The 2021 Kabul airport bombing shocked the world.", faultline.Attack, "2021", "Kabul", -1, false, ""},
		{"year-less month", "The group was founded in 2012. In March it attacked a convoy in Kandahar.",
			faultline.Attack, "2012-03", "Kandahar", -1, false, ""},
		{"year from earlier in the sentence", "Iranian forces captured the Jundallah leader Abdolmalek Rigi in February 2010; he was executed in Tehran that June.",
			faultline.Killing, "2010-06", "Tehran", -1, false, ""},
		{"toll in words", "A suicide bomber struck a mosque in Peshawar on 30 January 2023. Eighty-four people died.",
			faultline.Attack, "2023-01-30", "Peshawar", 84, false, ""},
		{"strike by a state", "On 18 January 2024 the Pakistani military struck hideouts near Saravan.",
			faultline.Strike, "2024-01-18", "Saravan", -1, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext := run(t, tt.text)
			checkGraph(t, tt.text, ext)
			name := map[string]string{}
			for _, e := range ext.Entities {
				name[e.ID] = e.Name
				for _, a := range e.Aliases {
					if a == tt.agent {
						name[e.ID] = a
					}
				}
			}
			for _, v := range ext.Events {
				if v.Type != tt.typ {
					continue
				}
				date, loc, fat := "", "", -1
				if v.Date != nil {
					date = *v.Date
				}
				if v.Location != nil {
					loc = name[*v.Location]
				}
				if v.Fatalities != nil {
					fat = *v.Fatalities
				}
				agent := ""
				for _, p := range v.Participants {
					if p.Role == faultline.RoleAgent && agent == "" {
						agent = name[p.Entity]
					}
				}
				if date != tt.date || loc != tt.loc || fat != tt.fat || fat >= 0 && v.FatalitiesLow != tt.low ||
					tt.agent != "" && agent != tt.agent {
					t.Errorf("got %s date %q place %q toll %d (low %v) agent %q; want date %q place %q toll %d (low %v) agent %q",
						v.Type, date, loc, fat, v.FatalitiesLow, agent, tt.date, tt.loc, tt.fat, tt.low, tt.agent)
				}
				return
			}
			t.Errorf("no %s event in %+v", tt.typ, ext.Events)
		})
	}
}

// Weapons that are supplied, stockpiled or described are no strike; only
// weapons fired are.
func TestWeaponsNotFired(t *testing.T) {
	for _, text := range []string{
		"Iran supplies missiles and drones to the Houthis.",
		"The Houthis displayed new missiles at a parade in Sanaa in September 2023.",
	} {
		for _, e := range run(t, text).Events {
			if e.Type == faultline.Strike || e.Type == faultline.Attack {
				t.Errorf("%q: %s event %+v", text, e.Type, e)
			}
		}
	}
}
