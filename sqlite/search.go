package sqlite

import (
	"context"
	"strings"
	"unicode"

	"github.com/faultline-osint/faultline"
)

// Snippet markers: FTS5 snippet() puts them around each matched term.
const (
	SnippetOpen  = "["
	SnippetClose = "]"
)

// defaultSearchLimit applies when Search is given no positive limit.
const defaultSearchLimit = 20

// Search runs a full-text query over entity names and aliases and over
// source titles and text. Entity hits come first, then source hits; within
// each kind hits are ranked by BM25 and Score is minus the BM25 value
// (higher is better; scores are comparable only within a kind, since the
// two indexes have different statistics). The query is taken as words, not
// FTS5 syntax: every word must match, "double quotes" group a phrase, a
// word ending in * matches as a prefix, and punctuation such as the hyphens
// of Jaish-e-Mohammed joins the parts of a word into a phrase.
func (db *DB) Search(ctx context.Context, query string, limit int) ([]faultline.SearchHit, error) {
	if strings.TrimSpace(query) == "" {
		return nil, faultline.Errorf(faultline.EINVALID, "search query is empty")
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	match := ftsQuery(query)
	hits := []faultline.SearchHit{}
	if match == "" {
		return hits, nil // nothing searchable, e.g. a lone "*"
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.name, e.type,
			snippet(entity_fts, -1, ?, ?, '…', 12), bm25(entity_fts, 10.0, 4.0) AS score
		FROM entity_fts JOIN entities e ON e.rid = entity_fts.rowid
		WHERE entity_fts MATCH ? ORDER BY score, e.id LIMIT ?`, SnippetOpen, SnippetClose, match, limit)
	if err != nil {
		return nil, internal(err, "search %q: entities", query)
	}
	for rows.Next() {
		h := faultline.SearchHit{Kind: "entity"}
		if err := rows.Scan(&h.EntityID, &h.Title, &h.Type, &h.Snippet, &h.Score); err != nil {
			rows.Close()
			return nil, internal(err, "search %q: entities", query)
		}
		h.Score = -h.Score
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "search %q: entities", query)
	}
	if len(hits) >= limit {
		return hits[:limit], nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT s.id, s.title,
			snippet(source_fts, -1, ?, ?, '…', 16), bm25(source_fts, 4.0, 1.0) AS score
		FROM source_fts JOIN sources s ON s.id = source_fts.rowid
		WHERE source_fts MATCH ? ORDER BY score, s.id LIMIT ?`, SnippetOpen, SnippetClose, match, limit-len(hits))
	if err != nil {
		return nil, internal(err, "search %q: sources", query)
	}
	defer rows.Close()
	for rows.Next() {
		h := faultline.SearchHit{Kind: "source"}
		if err := rows.Scan(&h.SourceID, &h.Title, &h.Snippet, &h.Score); err != nil {
			return nil, internal(err, "search %q: sources", query)
		}
		h.Score = -h.Score
		hits = append(hits, h)
	}
	return hits, internal(rows.Err(), "search %q: sources", query)
}

// ftsQuery turns user input into a safe FTS5 query: a conjunction of
// quoted phrases made only of letters and digits, so that no character of
// the input is read as FTS5 syntax. It returns "" when nothing is left.
func ftsQuery(q string) string {
	var parts []string
	phrase := func(s string, prefix bool) {
		toks := strings.FieldsFunc(s, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
		})
		if len(toks) == 0 {
			return
		}
		p := `"` + strings.Join(toks, " ") + `"`
		if prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	for len(q) > 0 {
		q = strings.TrimLeftFunc(q, unicode.IsSpace)
		if q == "" {
			break
		}
		if q[0] == '"' {
			body, rest, ok := strings.Cut(q[1:], `"`)
			if !ok {
				body, rest = q[1:], ""
			}
			phrase(body, false)
			q = rest
			continue
		}
		end := strings.IndexFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(q)
		}
		word := q[:end]
		q = q[end:]
		phrase(word, strings.HasSuffix(word, "*") && len(strings.TrimRight(word, "*")) > 0)
	}
	return strings.Join(parts, " ")
}
