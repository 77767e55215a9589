// Command faultline reads conflict reports into a sourced knowledge graph
// and answers questions about it. This package only wires: flags, the
// database, the extractor and output. See the README for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	faultline "github.com/faultline-osint/faultline"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	cmd := app.rootCommand()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var quiet *silentError
	if !errors.As(err, &quiet) {
		fmt.Fprintf(app.stderr, "faultline: %s\n", faultline.ErrorMessage(err))
	}
	return exitCode(err)
}

// silentError carries an exit code for a failure already reported (an
// ingest batch prints one line per bad file, then exits 1).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError marks a command-line mistake (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// exitCodes maps error codes to process exit codes: 0 ok, 1 failure,
// 2 usage.
var exitCodes = map[string]int{
	faultline.EINVALID:   2,
	faultline.ENOTFOUND:  1,
	faultline.EAMBIGUOUS: 1,
	faultline.ECONFLICT:  1,
	faultline.EINTERNAL:  1,
}

func exitCode(err error) int {
	var s *silentError
	if errors.As(err, &s) {
		return s.code
	}
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	if c, ok := exitCodes[faultline.ErrorCode(err)]; ok {
		return c
	}
	return 1
}
