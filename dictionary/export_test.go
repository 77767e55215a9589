package dictionary

// ParseJSONLForTest parses the embedded data afresh, bypassing Default's
// sync.Once, so that benchmarks can measure a cold load.
func ParseJSONLForTest() ([]Entry, error) { return parseJSONL(actorsJSONL) }

// ParseGivenNamesForTest parses the embedded name lists afresh, bypassing
// GivenNames' sync.OnceValues, so that benchmarks can measure a cold load.
func ParseGivenNamesForTest() (*GivenNameSet, error) { return parseGivenNames() }
