package ingest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Collect expands the paths given on a command line into the files to
// ingest, in order: a file is taken as given (whatever its extension, so
// that the analyst hears why it cannot be read), a directory is walked
// recursively in lexical order, and "-" (standard input) is kept as is.
//
// Inside directories, hidden files and directories (name starting with ".")
// are skipped, and so are files whose extension no reader knows (.txt,
// .text, .md, .markdown, .html, .htm, .pdf): a folder of reports often
// holds images and spreadsheets, and a failure for each would bury the real
// ones.
//
// A path that does not exist or cannot be walked gives one error, a
// FileError, and the rest go on.
func Collect(paths []string) ([]string, []error) {
	var (
		files []string
		errs  []error
	)
	for _, p := range paths {
		if p == Stdin {
			files = append(files, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, FileError{Path: p, Err: pathError(p, err)})
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		// WalkDir visits entries in lexical order, which makes the
		// ingest order (and so source ids) reproducible.
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, FileError{Path: path, Err: pathError(path, err)})
				if d != nil && d.IsDir() && path != p {
					return fs.SkipDir
				}
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !Supported(path) {
				return nil
			}
			if !d.Type().IsRegular() {
				// A symlink or device: take it only if it leads to a file.
				if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			}
			files = append(files, path)
			return nil
		})
		if err != nil {
			errs = append(errs, FileError{Path: p, Err: pathError(p, err)})
		}
	}
	return files, errs
}
