package extract

import faultline "github.com/faultline-osint/faultline"

// Word lists the rules use. They are about English prose and the naming
// conventions of the field, not about any one document.

// connectors may sit inside a proper name between capitalised words.
var connectors = setOf("of", "the", "and", "for", "e", "i", "ul", "al", "el", "ud", "ur", "ad", "as", "bin", "ibn", "de", "du", "wa", "s", "in")

// acronymSkips are words an acronym's letters may skip ("Centre for …").
var acronymSkips = setOf("of", "the", "and", "for", "e", "i", "ul", "al", "el", "ud", "ur", "ad", "s", "de", "du", "wa", "on", "in", "at", "to", "a")

// headLast maps the last word of a name to the type it implies:
// "Baloch Liberation Army", "Financial Action Task Force".
var headLast = map[string]faultline.EntityType{
	"army": faultline.ArmedGroup, "front": faultline.ArmedGroup, "brigade": faultline.ArmedGroup,
	"brigades": faultline.ArmedGroup, "battalion": faultline.ArmedGroup, "battalions": faultline.ArmedGroup,
	"network": faultline.ArmedGroup, "movement": faultline.ArmedGroup, "mujahideen": faultline.ArmedGroup,
	"mujahidin": faultline.ArmedGroup, "militia": faultline.ArmedGroup, "militias": faultline.ArmedGroup,
	"taliban": faultline.ArmedGroup, "legion": faultline.ArmedGroup, "fedayeen": faultline.ArmedGroup,
	"tigers": faultline.ArmedGroup, "martyrs": faultline.ArmedGroup,
	"resistance": faultline.ArmedGroup, "insurgents": faultline.ArmedGroup,
	"party": faultline.PoliticalParty, "league": faultline.PoliticalParty,
	"foundation": faultline.Organization, "institution": faultline.Organization, "institute": faultline.Organization,
	"centre": faultline.Organization, "center": faultline.Organization, "council": faultline.Organization,
	"commission": faultline.Organization, "committee": faultline.Organization, "trust": faultline.Organization,
	"society": faultline.Organization, "association": faultline.Organization, "university": faultline.Organization,
	"endowment": faultline.Organization, "corporation": faultline.Organization, "company": faultline.Organization,
	"media": faultline.Organization, "agency": faultline.GovernmentBody, "organisation": faultline.Organization,
	"organization": faultline.Organization, "programme": faultline.Organization, "program": faultline.Organization,
	"alliance": faultline.ArmedGroup, "coalition": faultline.ArmedGroup, "group": faultline.ArmedGroup,
	"intelligence": faultline.GovernmentBody, "police": faultline.GovernmentBody, "ministry": faultline.GovernmentBody,
	"department": faultline.GovernmentBody, "directorate": faultline.GovernmentBody, "bureau": faultline.GovernmentBody,
	"corps": faultline.GovernmentBody, "rangers": faultline.GovernmentBody, "navy": faultline.GovernmentBody,
	"guard": faultline.GovernmentBody, "guards": faultline.GovernmentBody, "service": faultline.GovernmentBody,
	"services": faultline.GovernmentBody, "government": faultline.GovernmentBody, "parliament": faultline.GovernmentBody,
	"assembly": faultline.GovernmentBody, "senate": faultline.GovernmentBody, "cabinet": faultline.GovernmentBody,
	"court": faultline.GovernmentBody, "office": faultline.GovernmentBody, "forces": faultline.GovernmentBody,
	"command": faultline.GovernmentBody, "authority": faultline.GovernmentBody,
	"force":   faultline.Organization,
	"airport": faultline.Location, "station": faultline.Location, "mosque": faultline.Location,
	"hotel": faultline.Location, "hall": faultline.Location, "valley": faultline.Location,
	"province": faultline.Location, "district": faultline.Location, "region": faultline.Location,
	"pass": faultline.Location, "camp": faultline.Location, "prison": faultline.Location,
	"jail": faultline.Location, "bazaar": faultline.Location, "market": faultline.Location,
	"square": faultline.Location, "stadium": faultline.Location, "border": faultline.Location,
	"base": faultline.Location, "airbase": faultline.Location, "cantonment": faultline.Location,
	"bay": faultline.Location, "gulf": faultline.Location, "strait": faultline.Location, "sea": faultline.Location,
	"island": faultline.Location, "islands": faultline.Location, "lake": faultline.Location, "river": faultline.Location,
	"gate": faultline.Location, "meadow": faultline.Location, "county": faultline.Location, "governorate": faultline.Location,
	"mission": faultline.Organization, "panel": faultline.Organization, "college": faultline.Organization, "school": faultline.Organization,
	"express": faultline.Location, "mall": faultline.Location, "road": faultline.Location,
	"highway": faultline.Location, "bridge": faultline.Location, "hospital": faultline.Location,
}

// headFirst maps the first word of a name to the type it implies:
// "Lashkar-e-Taiba", "Ministry of Interior", "Brigade 055".
var headFirst = map[string]faultline.EntityType{
	"lashkar": faultline.ArmedGroup, "laskar": faultline.ArmedGroup, "jaish": faultline.ArmedGroup,
	"jaysh": faultline.ArmedGroup, "tehrik": faultline.ArmedGroup, "tehreek": faultline.ArmedGroup,
	"tahrik": faultline.ArmedGroup, "harkat": faultline.ArmedGroup, "harakat": faultline.ArmedGroup,
	"harakah": faultline.ArmedGroup, "jamaat": faultline.ArmedGroup, "jamaah": faultline.ArmedGroup,
	"jamaa": faultline.ArmedGroup, "hizb": faultline.ArmedGroup, "hezb": faultline.ArmedGroup,
	"hizbul": faultline.ArmedGroup, "ansar": faultline.ArmedGroup, "ansaru": faultline.ArmedGroup,
	"sipah": faultline.ArmedGroup, "tanzeem": faultline.ArmedGroup, "jund": faultline.ArmedGroup,
	"jundallah": faultline.ArmedGroup, "kataib": faultline.ArmedGroup, "liwa": faultline.ArmedGroup,
	"brigade": faultline.ArmedGroup, "wilayat": faultline.ArmedGroup, "ittehad": faultline.ArmedGroup,
	"ministry": faultline.GovernmentBody, "department": faultline.GovernmentBody,
	"directorate": faultline.GovernmentBody, "bureau": faultline.GovernmentBody,
	"office": faultline.GovernmentBody, "government": faultline.GovernmentBody,
	"majlis": faultline.GovernmentBody, "centre": faultline.Organization, "center": faultline.Organization,
	"institute": faultline.Organization, "university": faultline.Organization,
}

// stateHeads turn a country-headed name into a government body: "Pakistan
// Army", "Iranian Navy", "Afghan Police".
var stateHeads = setOf("army", "navy", "air", "police", "intelligence", "government", "military", "forces",
	"ministry", "parliament", "senate", "cabinet", "rangers", "corps", "guard", "guards", "marines", "coast")

// lowerHeads are lower-case nouns that make a preceding proper name an
// actor or place: "the Haqqani network", "Kurram district".
var lowerHeads = map[string]faultline.EntityType{
	"network": faultline.ArmedGroup, "militia": faultline.ArmedGroup, "faction": faultline.ArmedGroup,
	"district": faultline.Location, "province": faultline.Location, "valley": faultline.Location,
	"tehsil": faultline.Location, "region": faultline.Location,
}

// nameHonorifics are titles that South Asian and Arabic usage keeps as part
// of a person's name: "Hafiz Saeed", "Khawaja Asif", "Mullah Omar".
var nameHonorifics = setOf("hafiz", "khawaja", "khwaja", "mullah", "mulla", "maulana", "moulana", "sheikh", "shaikh",
	"mufti", "qari", "haji", "hajji", "sardar", "nawab", "syed", "sayyid", "pir", "allama", "qazi", "mian", "malik")

// titles precede a person's name and are not part of it.
var titles = setOf("mr", "mrs", "ms", "dr", "prof", "professor", "gen", "general", "lt", "lieutenant", "col", "colonel",
	"maj", "major", "capt", "captain", "brig", "brigadier", "adm", "admiral", "sgt", "sergeant", "marshal",
	"president", "vice", "premier", "minister", "secretary", "senator", "sen", "governor", "gov", "ambassador",
	"envoy", "chairman", "chairperson", "chairwoman", "chief", "commander", "spokesman", "spokesperson", "spokeswoman",
	"leader", "founder", "emir", "amir", "deputy", "head", "director", "judge", "justice", "king", "queen", "prince",
	"princess", "lawmaker", "mp", "mna", "mpa", "cleric", "imam", "militant", "operative", "official", "analyst",
	"expert", "researcher", "scholar", "journalist", "reporter", "correspondent", "author", "co-founder", "cofounder",
	"ideologue", "preacher", "financier", "recruiter", "bomber", "attacker", "gunman", "suspect", "mastermind", "militants",
	"chancellor", "sheriff", "inspector", "superintendent", "officer", "diplomat", "negotiator", "mediator", "activist",
	"lawyer", "rep", "representative", "assistant", "adviser", "advisor", "counsellor", "counselor", "associate", "fellow",
	"predecessor", "successor", "brother", "son", "father", "uncle", "nephew", "cousin", "wife", "husband", "daughter",
	"counterpart", "aide", "loyalist", "rival", "hostage", "captive", "victim", "national", "citizen", "prisoner")

// namedCategories are capitalised legal categories, not entities.
var namedCategories = setOf("foreign terrorist organization", "foreign terrorist organisation",
	"foreign terrorist organizations", "specially designated global terrorist", "specially designated global terrorists",
	"specially designated nationals", "global terrorist", "terrorist organization", "terrorist organisation")

// compassWords prefix a place to name a part of it: "North Waziristan".
var compassWords = setOf("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
	"upper", "lower", "greater", "northeast", "northwest", "southeast", "southwest")

// ofPlaceNouns before "of" introduce a place: "the port of Gwadar".
var ofPlaceNouns = setOf("port", "city", "town", "village", "district", "province", "region", "outskirts", "capital",
	"suburbs", "area", "valley", "state", "governorate", "county", "mountains", "hills", "borderlands", "countryside",
	"parts", "part", "areas", "districts", "regions", "provinces", "north", "south", "east", "west", "heart", "centre",
	"center", "streets", "island", "coast", "shores")

// speechVerbs follow a person's name: "Asif said", "Rehman acknowledged".
var speechVerbs = setOf("said", "says", "told", "tells", "wrote", "writes", "argued", "argues", "noted", "notes",
	"added", "claimed", "claims", "stated", "states", "admitted", "admits", "warned", "warns", "acknowledged",
	"acknowledges", "denied", "denies", "insisted", "insists", "explained", "explains", "observed", "observes",
	"announced", "announces", "confirmed", "confirms", "alleged", "alleges", "declared", "declares", "vowed", "vows",
	"urged", "urges", "led", "leads", "headed", "heads", "founded", "commanded", "commands", "recalled")

// stateVerbs after a capital city mark it as the state acting ("Islamabad
// dismissed", "Washington says").
var stateVerbs = setOf("said", "says", "has", "have", "had", "is", "was", "will", "would", "could", "should", "must",
	"may", "might", "can", "did", "does", "denied", "denies", "dismissed", "dismisses", "accused", "accuses", "claimed",
	"claims", "insisted", "insists", "wants", "wanted", "sees", "saw", "views", "viewed", "blamed", "blames",
	"supports", "supported", "backed", "backs", "responded", "responds", "rejected", "rejects", "announced",
	"announces", "warned", "warns", "condemned", "condemns", "demanded", "demands", "retaliated", "refused", "refuses",
	"sought", "seeks", "agreed", "agrees", "hopes", "hoped", "believes", "believed", "initially", "also", "remains", "remained")

// locatives before a place mark it as a place, not an actor.
var locatives = setOf("in", "at", "near", "from", "to", "into", "outside", "around", "across", "via", "toward",
	"towards", "inside", "within", "through", "throughout", "between", "on", "over", "off", "beyond", "along")

// placeNouns after a place name keep it a place: "Kabul airport".
// adminNouns name administrative divisions: "the Sherpur district of
// Kabul", "Khar, Bajaur district".
var adminNouns = setOf("district", "province", "county", "governorate", "region", "division", "tehsil", "agency",
	"prefecture", "municipality", "oblast", "raion", "emirate", "department")

var placeNouns = setOf("airport", "province", "district", "city", "valley", "region", "area", "areas", "border",
	"borders", "suburb", "outskirts", "neighbourhood", "neighborhood", "street", "road", "market", "mosque",
	"hotel", "prison", "university", "concert", "hall", "station", "bombing", "bombings", "attack", "attacks",
	"blast", "massacre", "siege", "office", "embassy", "consulate", "airbase", "base", "camp", "compound", "hospital")

// commonCapitalised are words that GeoNames knows as places but English
// prose capitalises for other reasons; as a lone token they need a cue.
var commonCapitalised = setOf("north", "south", "east", "west", "central", "northern", "southern", "eastern",
	"western", "capital", "federal", "union", "independence", "liberty", "unity", "mobile", "reading", "bath",
	"split", "nice", "police", "most", "of", "victoria", "hope", "progress", "colon", "concord", "asia", "africa",
	"europe", "march", "may", "june", "july", "august", "april", "january", "islam", "islamic", "jihad", "sharia",
	"media", "army", "university", "ummah", "caliphate", "state", "province", "city", "university", "sale", "mercedes",
	"america", "american", "general", "president", "minister", "eagle", "justice", "commerce", "industry", "deal",
	"council", "congress", "parliament", "opportunity", "success", "trinity", "ideal", "marathon", "mission")

// chromeWords mark a short line as site navigation.
var chromeWords = setOf("home", "about", "contact", "centres", "centers", "programmes", "programs",
	"location", "menu", "search", "login", "log", "topics", "regions", "experts", "events", "publications",
	"research", "share", "print", "email", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "telegram",
	"newsletter", "subscribe", "donate", "careers", "sitemap", "privacy", "terms", "comments", "comment", "tags",
	"related", "more", "next", "previous", "back", "top", "advertisement", "sponsored", "loading", "video", "videos",
	"photos", "gallery", "podcast", "podcasts", "commentaries", "analysis", "opinion", "multimedia", "expert", "speak")

// chromePhrases mark a line as chrome wherever they appear.
var chromePhrases = []string{"image source", "image credit", "photo credit", "photo:", "image:", "picture:",
	"click here", "read more", "share this", "share on", "follow us", "subscribe to", "sign up", "all rights reserved",
	"©", "copyright", "skip to", "cookie", "the views expressed", "also read", "download pdf", "print this",
	"getty images", "via reuters", "ap photo", "afp photo", "file photo", "listen to this", "min read", "shutterstock"}

// months are never places, whatever GeoNames knows of a town called March.
var months = setOf("january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

// functionWords are never part of a name, capitalised or not: "His
// faction", "Their network".
// sentenceOpeners are conjunctions and adverbs that open sentences and
// are never the first word of a name: "When Taliban fighters entered
// Kabul" names the Taliban, even in a text with no lower-case "when".
var sentenceOpeners = setOf("when", "after", "while", "as", "if", "since", "although", "though", "because", "before",
	"until", "once", "unlike", "despite", "during", "with", "without", "but", "and", "or", "yet", "then", "there",
	"however", "meanwhile", "instead", "also", "in", "on", "at", "by", "for", "from", "under", "within", "between",
	"among", "against", "following", "amid", "whereas", "where", "whether", "today", "yesterday", "later", "earlier")

var functionWords = setOf("his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those",
	"the", "a", "an", "each", "every", "some", "any", "no", "another", "other", "both", "either", "neither",
	"which", "whose", "what", "one", "all", "many", "most", "several", "such")
