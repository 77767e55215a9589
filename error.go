package faultline

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: each maps to one exit code in the
// CLI and one HTTP status in the server, in one table each.
const (
	ECONFLICT  = "conflict"  // the action contradicts the stored state
	EINTERNAL  = "internal"  // a bug or an environment failure
	EINVALID   = "invalid"   // bad input: a field, a file, a flag
	ENOTFOUND  = "not_found" // no such entity, source or claim
	EAMBIGUOUS = "ambiguous" // a reference names more than one thing
)

// Error is the application error: a code for programs and a message for
// people. Wrapped errors keep their cause for errors.Is.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error returns the message; Errorf has already folded any wrapped cause
// into it.
func (e *Error) Error() string {
	if e.Message == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message. A %w
// verb in format wraps its argument as usual.
func Errorf(code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Message: err.Error(), Err: errors.Unwrap(err)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or
// err.Error() for other errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
