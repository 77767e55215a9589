package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
)

// table reads a CSV file with a header row: records with their line
// numbers, fields by column name. Malformed records (a broken quote, the
// wrong number of fields) come back as errors with their line, and reading
// goes on at the next line.
type table struct {
	r      *csv.Reader
	header []string
	cols   map[string]int
}

// rowErr is a record that could not be read.
type rowErr struct {
	line int
	msg  string
}

func (e *rowErr) Error() string { return e.msg }

// newTable reads the header row. It strips a UTF-8 byte-order mark (ACLED
// exports start with one) and a trailing Ctrl-Z, and lower-cases the
// column names.
func newTable(data []byte) (*table, error) {
	data = stripBOM(data)
	data = bytes.TrimRight(data, "\x1a\r\n")
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, faultline.Errorf(faultline.EINVALID, "empty file: no header row")
	}
	if err != nil {
		return nil, faultline.Errorf(faultline.EINVALID, "header row: %w", err)
	}
	t := &table{r: r, header: make([]string, len(header)), cols: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		t.header[i] = h
		if _, dup := t.cols[h]; !dup && h != "" {
			t.cols[h] = i
		}
	}
	return t, nil
}

// openTable reads the header of an event table and checks its columns,
// and returns it with a batcher of the format's batch size (or the
// options').
func openTable(format string, in *input, required []string, size int, o *Options, emit func(*faultline.ImportBatch) error) (*table, *batcher, error) {
	t, err := newTable(in.data)
	if err == nil {
		err = t.require(required...)
	}
	if err != nil {
		return nil, nil, faultline.Errorf(faultline.EINVALID, "%s %s: %w", format, in.name, err)
	}
	if o.BatchSize > 0 {
		size = o.BatchSize
	}
	return t, newBatcher(size, emit), nil
}

// require fails unless every named column is present.
func (t *table) require(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := t.cols[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return faultline.Errorf(faultline.EINVALID, "header lacks column(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

// col returns the index of a column, -1 when absent.
func (t *table) col(name string) int {
	if i, ok := t.cols[name]; ok {
		return i
	}
	return -1
}

// next returns the next record and the line it starts on; io.EOF at the
// end; a *rowErr for a malformed record, after which reading can go on.
// The record is reused by the following call.
func (t *table) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, &rowErr{line: pe.StartLine, msg: pe.Err.Error()}
		}
		return nil, 0, &rowErr{msg: err.Error()}
	}
	line, _ := t.r.FieldPos(0)
	if len(rec) != len(t.header) {
		return rec, line, &rowErr{line: line, msg: "has " + strconv.Itoa(len(rec)) + " fields, the header " + strconv.Itoa(len(t.header))}
	}
	return rec, line, nil
}

// hxl reports whether a record is an HXL hashtag row ("#date+year",
// "#geo+lat"): every non-empty field starts with '#'.
func hxl(rec []string) bool {
	n := 0
	for _, f := range rec {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if f[0] != '#' {
			return false
		}
		n++
	}
	return n > 0
}

// readRows drives a table: it calls row for each well-formed record and
// reports malformed ones, batching as it goes.
func readRows(ctx context.Context, t *table, sum *Summary, bt *batcher, row func(rec []string, line int) error) error {
	first := true
	for {
		if bt.b.Records == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, line, err := t.next()
		if err == io.EOF {
			break
		}
		if first {
			first = false
			if err == nil && hxl(rec) {
				continue // the HDX hashtag row is not a record
			}
		}
		sum.Records++
		if err != nil {
			var re *rowErr
			if errors.As(err, &re) {
				sum.malformed(re.line, "", "%s", re.msg)
			} else {
				return err
			}
		} else if err := row(rec, line); err != nil {
			var re *rowErr
			if !errors.As(err, &re) {
				return err
			}
			sum.malformed(line, "", "%s", re.msg)
		}
		if err := bt.record(); err != nil {
			return err
		}
	}
	return bt.flush()
}

// bad returns a *rowErr for a field that does not parse.
func bad(format string, args ...any) error {
	return &rowErr{msg: faultline.Errorf(faultline.EINVALID, format, args...).Message}
}
