package dictgen

// Exported forms of the list-name helpers, for the sanctions-list
// importers (package importer), which read the same UN and OFAC files and
// must clean their names the same way the dictionary does, so that an
// imported record and its dictionary entry agree on names.

// SplitName splits a list name such as "TEHRIK-E TALIBAN PAKISTAN (TTP)"
// into the name and its short forms ("TTP").
func SplitName(s string) (name string, short []string) { return splitName(s, nil) }

// SplitAlias turns one list alias cell into its surface forms, dropping
// original-script parts and sub-unit notes.
func SplitAlias(s string) []string { return splitAlias(s, nil) }

// DisplayCase turns an all-capital list name into display case, keeping
// the words in upper (acronyms) in capitals.
func DisplayCase(s string, upper map[string]bool) string { return displayCase(s, upper) }

// AliasCase is DisplayCase for aliases: a lone capitalised token of up to
// eight letters is taken for an acronym and kept.
func AliasCase(s string, upper map[string]bool) string { return aliasCase(s, upper) }

// Clean collapses white space.
func Clean(s string) string { return clean(s) }
