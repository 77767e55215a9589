// Package gedgen writes synthetic UCDP-GED-shaped CSV files for benchmarks:
// rows drawn from a real GED sample (its places, actors, precisions, death
// counts and source texts, quoted newlines included) with fresh ids and
// dates, so that a file of any size has the sample's value distribution.
// The output is a function of the sample, the row count and the seed. It is
// generated at benchmark time into a temporary directory and never
// committed: the rows are synthetic, not UCDP data.
package gedgen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Generate writes a header and n rows modelled on sample, a GED CSV in the
// canonical or the HDX layout (whose HXL hashtag row is dropped).
func Generate(w io.Writer, sample []byte, n int, seed uint64) error {
	sample = bytes.TrimPrefix(sample, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(sample))
	rows, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("gedgen: read sample: %w", err)
	}
	if len(rows) < 2 {
		return fmt.Errorf("gedgen: sample has no rows")
	}
	header := rows[0]
	rows = rows[1:]
	if len(rows) > 0 && strings.HasPrefix(strings.Join(rows[0], ""), "#") {
		rows = rows[1:]
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"id", "date_start", "date_end", "year"} {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("gedgen: sample lacks column %s", c)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	base := time.Date(1989, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24)
	out := make([]string, len(header))
	for i := range n {
		tpl := rows[rng.IntN(len(rows))]
		copy(out, tpl)
		id := strconv.Itoa(10_000_000 + i)
		out[col["id"]] = id
		if c, ok := col["relid"]; ok {
			out[c] = "SYN-" + id
		}
		// Keep the template's duration (date_end - date_start).
		start := base.AddDate(0, 0, rng.IntN(days))
		dur := 0
		if s, err := time.Parse("2006-01-02", head10(tpl[col["date_start"]])); err == nil {
			if e, err := time.Parse("2006-01-02", head10(tpl[col["date_end"]])); err == nil {
				dur = int(e.Sub(s).Hours() / 24)
			}
		}
		end := start.AddDate(0, 0, dur)
		out[col["date_start"]] = start.Format("2006-01-02") + " 00:00:00.000"
		out[col["date_end"]] = end.Format("2006-01-02") + " 00:00:00.000"
		out[col["year"]] = strconv.Itoa(start.Year())
		// Most source texts are distinct in GED: keep the template's
		// text for three rows in ten, and make the rest unique.
		if c, ok := col["source_article"]; ok && out[c] != "" && rng.IntN(10) >= 3 {
			out[c] += " [synthetic " + id + "]"
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func head10(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}
