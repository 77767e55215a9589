package extract

import faultline "github.com/faultline-osint/faultline"

// Trigger words for relations. A verb trigger takes its subject from the
// left and its objects from the right, after one of preps when given; a
// noun trigger ("support for", "links with") may also take its subject
// from a possessive ("Pakistan's support for"). Forms are listed rather
// than stemmed: English morphology is irregular enough ("fought",
// "harboured") that a list is both faster and more exact.
type relTrigger struct {
	pred  faultline.Predicate
	kind  string   // support kind, for supports
	preps []string // a preposition one of which must introduce the object; nil: direct object
	noun  bool
}

func forms(pred faultline.Predicate, kind string, preps []string, words ...string) map[string]relTrigger {
	m := make(map[string]relTrigger, len(words))
	for _, w := range words {
		m[w] = relTrigger{pred: pred, kind: kind, preps: preps}
	}
	return m
}

func nouns(pred faultline.Predicate, kind string, preps []string, words ...string) map[string]relTrigger {
	m := forms(pred, kind, preps, words...)
	for w, t := range m {
		t.noun = true
		m[w] = t
	}
	return m
}

func merge(ms ...map[string]relTrigger) map[string][]relTrigger {
	out := map[string][]relTrigger{}
	for _, m := range ms {
		for w, t := range m {
			out[w] = append(out[w], t)
		}
	}
	return out
}

var (
	to      = []string{"to"}
	with    = []string{"with"}
	withTo  = []string{"with", "to"}
	against = []string{"against", "on"}
	in      = []string{"in", "inside", "within"}
	from    = []string{"from"}
	forTo   = []string{"for", "to"}
)

// relTriggers maps a trigger word to what it can mean.
var relTriggers = merge(
	forms(faultline.Supports, "", nil, "support", "supports", "supported", "supporting", "back", "backs", "backed",
		"sponsor", "sponsors", "sponsored", "sponsoring", "aid", "aids", "aided", "aiding", "assist", "assists",
		"assisted", "assisting", "patronise", "patronised", "patronize", "patronized", "nurture", "nurtured",
		"nurturing", "cultivate", "cultivated", "cultivating", "prop", "propped", "bankroll", "bankrolled",
		"bankrolls", "reinforce", "reinforced"),
	forms(faultline.Supports, "material", nil, "fund", "funds", "funded", "funding", "finance", "finances",
		"financed", "financing", "arming", "equip", "equipped", "equips", "equipping", "supply",
		"supplies", "supplied", "supplying", "resupply", "resupplied"),
	forms(faultline.Supports, "training", nil, "train", "trains", "trained"),
	forms(faultline.Supports, "sanctuary", nil, "harbour", "harbours", "harboured", "harbouring", "harbor", "harbors",
		"harbored", "harboring", "shelter", "shelters", "sheltered", "sheltering", "host", "hosts", "hosted", "hosting"),
	forms(faultline.Supports, "protection", nil, "protect", "protects", "protected", "protecting", "shield",
		"shields", "shielded", "shielding"),
	forms(faultline.Supports, "tacit", nil, "tolerate", "tolerates", "tolerated", "tolerating"),
	forms(faultline.Supports, "proxy", nil, "employ", "employs", "employed", "employing", "instrumentalise",
		"instrumentalised", "instrumentalising", "instrumentalize", "instrumentalized", "instrumentalizing",
		"utilise", "utilised", "utilising", "utilize", "utilized", "utilizing", "wield", "wielded", "wielding"),
	nouns(faultline.Supports, "", forTo, "support", "backing", "sponsorship", "patronage", "assistance", "aid"),
	nouns(faultline.Supports, "material", forTo, "funding", "financing", "arms", "weapons"),
	nouns(faultline.Supports, "sanctuary", forTo, "sanctuary", "shelter", "refuge", "haven"),
	nouns(faultline.Supports, "tacit", []string{"toward", "towards", "of", "for"}, "permissiveness", "tolerance",
		"complicity", "indulgence"),

	forms(faultline.HostileTo, "", nil, "fight", "fights", "fought", "attacked", "attacking",
		"target", "targets", "targeted", "targeting", "targetted", "oppose", "opposes", "opposed", "opposing",
		"confront", "confronts", "confronted", "confronting", "combat", "combats", "combated", "combatted",
		"combating", "ambushed", "raided", "besieged", "besieging", "bombed",
		"shelled", "expel", "expelled", "expels", "drove", "oust", "ousted",
		"outlawed", "banned", "suppress", "suppressed", "suppressing", "crushed", "crush", "eliminate",
		"eliminated", "weaken", "weakening", "weakened", "dismantle", "dismantling", "dismantled", "defeated",
		"defeat", "routed", "besiege", "threatened", "threatens", "threaten", "kidnapped", "abducted"),
	forms(faultline.HostileTo, "", against, "fighting", "battle", "battles", "battled", "battling", "war", "offensive",
		"campaign", "campaigns", "operations", "operation", "crackdown", "insurgency", "jihad", "retaliated",
		"retaliation", "struggle", "pressure", "aggression", "hostilities", "strikes", "violence", "weapon"),
	forms(faultline.HostileTo, "", with, "clash", "clashes", "clashed", "clashing", "confrontation", "confrontations",
		"conflict", "feud", "rivalry", "enmity", "fighting", "war", "hostilities", "skirmishes", "skirmished", "battles"),
	nouns(faultline.HostileTo, "", []string{"toward", "towards", "to"}, "hostility", "enmity", "opposition"),
	forms(faultline.HostileTo, "", []string{"to", "toward", "towards"}, "hostile", "opposed", "antagonistic"),

	forms(faultline.AlliedWith, "", with, "allied", "alliance", "alliances", "allies", "ally", "aligned", "truce",
		"ceasefire", "pact", "understanding", "partnered", "partnership", "coalition",
		"agreement", "deal", "accord"),
	forms(faultline.AlliedWith, "", []string{"of"}, "ally", "allies", "partner", "partners"),
	forms(faultline.HostileTo, "", []string{"of"}, "rival", "rivals", "enemy", "enemies", "foe", "foes",
		"opponent", "opponents", "adversary", "adversaries", "nemesis"),
	forms(faultline.HostileTo, "", []string{"between"}, "tensions", "conflict", "rivalry", "war", "fighting",
		"clashes", "hostilities", "feud"),
	forms(faultline.AlliedWith, "", nil, "joined"),

	forms(faultline.AffiliatedWith, "", withTo, "links", "link", "linked", "ties", "tied", "connections", "connected",
		"affiliated", "affiliation", "affiliations", "associated", "association", "relationship", "relationships",
		"cooperate", "cooperates", "cooperated", "cooperating", "cooperation", "collaborate", "collaborates",
		"collaborated", "collaborating", "collaboration", "contacts", "nexus", "allegiance", "loyalty"),
	forms(faultline.AffiliatedWith, "", with, "coordinated", "coordinates", "coordination", "overlap", "overlaps"),

	forms(faultline.Leads, "", nil, "lead", "leads", "led", "leading", "head", "heads", "headed", "heading", "command",
		"commands", "commanded", "commanding", "founded", "cofounded", "chairs", "chaired", "run", "runs", "ran"),

	forms(faultline.BasedIn, "", in, "based", "headquartered", "entrenched", "hiding", "sheltering", "installed",
		"ensconced", "holed"),
	nouns(faultline.BasedIn, "", []string{"in", "inside", "within", "on"}, "sanctuary", "sanctuaries", "haven", "havens", "bases", "base", "headquarters",
		"hideout", "hideouts", "camps", "camp", "strongholds", "stronghold", "refuge", "training"),
	forms(faultline.BasedIn, "", from, "operate", "operates", "operated", "operating"),
	forms(faultline.ActiveIn, "", in, "operate", "operates", "operated", "operating", "active", "deployed",
		"expanded", "recruiting", "fought", "fighting"),
	nouns(faultline.ActiveIn, "", in, "presence", "operations", "activities", "activity", "attacks", "insurgency",
		"footprint", "resurgence", "foothold", "expansion", "influence", "recruitment", "recruits", "cells"),
	forms(faultline.ActiveIn, "", []string{"into", "to"}, "expanded", "spread", "moved", "infiltrated", "extended"),
	nouns(faultline.ActiveIn, "", []string{"into", "to"}, "expansion", "entry", "incursion", "incursions"),
)

// relocationVerbs move an actor's base: "shifted its base from A to B".
var relocationVerbs = setOf("shifted", "shift", "shifts", "moved", "move", "moves", "relocated", "relocate",
	"relocates", "relocating", "shifting", "moving", "retreated", "retreat", "fled", "flee", "flees", "transferred")

// passiveAux before a participle makes it passive: "was forced out by".
var passiveAux = setOf("is", "was", "were", "are", "been", "being", "be", "got", "get", "gets", "became")

// preps are prepositions: a mention right after one is not a clause
// subject.
var preps = setOf("of", "in", "at", "from", "to", "with", "against", "into", "near", "on", "by", "for", "over",
	"between", "under", "across", "through", "toward", "towards", "within", "inside", "about", "among", "amid",
	"during", "via", "upon", "beyond", "around", "outside", "like", "than", "after", "before", "since", "behind",
	"despite", "unlike", "per")

// clauseBreaks end the stretch in which a trigger looks for its
// arguments.
var clauseBreaks = setOf("which", "who", "whom", "whose", "while", "whereas", "although", "though", "because",
	"but", "when", "where", "if", "unless", "whether", "yet", "however", "so", "thus", "thereby", "whilst")

// negations right before a trigger cancel it: "not affiliated with".
var negations = setOf("not", "no", "never", "neither", "nor", "without", "denied", "deny", "denies", "lack",
	"lacks", "ruled", "nt")

// coordinators join a list of objects.
var coordinators = setOf("and", "or", "nor", "as", "well", "along", "together", "plus", "including", "also",
	"both", "either", "such", "like", "namely", "especially", "particularly", "notably", "with")

// memberNouns, after an organisation, describe a person's place in it:
// "TTP commander Noor Wali Mehsud", "the party's vice president".
var memberNouns = setOf("commander", "commanders", "spokesman", "spokesperson", "spokeswoman", "deputy", "member",
	"members", "operative", "operatives", "official", "officials", "minister", "ideologue", "financier", "militant",
	"militants", "fighter", "fighters", "envoy", "ambassador", "associate", "fellow", "researcher", "analyst",
	"scholar", "adviser", "advisor", "officer", "general", "president", "secretary", "senator", "lawmaker",
	"diplomat", "recruiter", "bomber", "negotiator", "representative", "governor", "cleric", "strategist",
	"lieutenant", "loyalist", "cadre", "cadres", "mastermind", "trainer", "emissary", "ideologues", "judge",
	"director", "professor", "economist", "journalist", "correspondent", "editor", "aide", "confidant", "figure",
	"figures", "activist", "mp", "senators", "sheikh", "colonel", "major", "captain", "brigadier", "officers",
	"soldier", "soldiers", "agent", "agents", "chief", "head", "leader", "leaders", "emir", "amir", "founder",
	"cofounder", "chairman", "chairperson", "chairwoman", "supremo", "boss", "qari", "mufti", "prosecutor",
	"counterpart", "premier", "envoy", "emissary", "successor", "predecessor", "founders", "cofounders",
	"deputies", "spokesmen", "chiefs", "heads", "emirs", "ministers", "officers", "propagandists", "propagandist")

// leaderNouns make the person the organisation's leader.
var leaderNouns = setOf("chief", "head", "leader", "emir", "amir", "founder", "cofounder", "chairman",
	"chairperson", "chairwoman", "supremo", "boss", "founders", "cofounders", "successor")

// roleModifiers may precede a role noun: "senior commander", "Defence
// Minister", "Vice President".
var roleModifiers = setOf("former", "senior", "top", "deputy", "vice", "chief", "acting", "interim", "supreme",
	"military", "political", "defence", "defense", "foreign", "interior", "prime", "finance", "intelligence",
	"regional", "local", "provincial", "field", "operational", "overall", "then", "late", "current", "new",
	"research", "senior", "nonresident", "non", "resident", "visiting", "executive", "general", "managing",
	"assistant", "associate", "principal", "lead", "founding", "key", "prominent", "notorious", "most", "wanted",
	"dangerous", "powerful", "influential", "high", "ranking", "mid", "level", "one", "main", "de", "facto",
	"spiritual", "central", "state", "information", "home", "army", "naval", "air", "staff", "media", "external")

// partNouns name a part of an organisation: "the group's media arm".
var partNouns = setOf("arm", "wing", "branch", "faction", "affiliate", "offshoot", "unit", "franchise", "chapter",
	"province", "outlet", "mouthpiece", "subsidiary", "division", "cell", "front", "affiliates", "branches",
	"units", "subgroup", "component", "proxy", "proxies", "service", "services", "apparatus", "council", "shura",
	"command", "agency", "police", "army", "militia", "brigade", "battalion", "squad", "network")

// compoundTies are the second half of "Iran-backed", "Kabul-based".
var compoundTies = map[string]relTrigger{
	"backed": {pred: faultline.Supports}, "sponsored": {pred: faultline.Supports},
	"funded": {pred: faultline.Supports, kind: "material"}, "financed": {pred: faultline.Supports, kind: "material"},
	"supported": {pred: faultline.Supports}, "armed": {pred: faultline.Supports, kind: "material"},
	"trained": {pred: faultline.Supports, kind: "training"}, "aligned": {pred: faultline.AlliedWith},
	"allied": {pred: faultline.AlliedWith}, "linked": {pred: faultline.AffiliatedWith},
	"affiliated": {pred: faultline.AffiliatedWith}, "based": {pred: faultline.BasedIn},
	"led": {pred: faultline.Leads}, "inspired": {pred: faultline.AffiliatedWith},
}

// Hot-word classes: one map lookup per token tells the per-token loops
// whether a word can start anything, so most words cost one lookup.
const (
	hotRelation uint8 = 1 << iota // a relation trigger or a special construction
	hotEvent                      // an event trigger
	hotToll                       // a word that can start or introduce a death toll
	hotMonth                      // a month name
)

var hotWords = func() map[string]uint8 {
	m := map[string]uint8{}
	for w := range relTriggers {
		m[w] |= hotRelation
	}
	for w := range relocationVerbs {
		m[w] |= hotRelation
	}
	for w := range operateVerbs {
		m[w] |= hotRelation
	}
	for _, w := range []string{"instrument", "proxy", "tool", "extension", "creature", "blessing", "encouragement"} {
		m[w] |= hotRelation
	}
	for _, w := range []string{"use", "usage", "using", "used", "uses", "allowing", "allowed", "allow", "allows",
		"letting", "permitting", "forced", "forcing", "pushed", "drove", "driven", "driving", "providing",
		"provided", "provides", "provide", "giving", "gave", "offered", "offering", "extended", "extending",
		"collapse", "breakdown", "end", "lapse", "termination", "unravelling", "help", "support", "backing",
		"assistance", "aid", "funding", "training", "sponsorship"} {
		m[w] |= hotRelation
	}
	for w := range evTriggers {
		m[w] |= hotEvent
	}
	for w := range killVerbs {
		m[w] |= hotToll
	}
	for w := range months {
		m[w] |= hotMonth
	}
	for w := range numberWords {
		m[w] |= hotToll
	}
	for w := range vagueCounts {
		m[w] |= hotToll
	}
	for _, w := range []string{"toll", "at", "more", "over", "upwards", "above", "nearly", "almost", "about",
		"around", "some", "approximately", "roughly", "an", "estimated", "up", "a"} {
		m[w] |= hotToll
	}
	return m
}()
