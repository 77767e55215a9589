package dictionary

// ParseJSONLForTest parses the embedded data afresh, bypassing Default's
// sync.Once, so that benchmarks can measure a cold load.
func ParseJSONLForTest() ([]Entry, error) { return parseJSONL(actorsJSONL) }
