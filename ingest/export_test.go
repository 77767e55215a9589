package ingest

import "time"

// SetPDFTimeout shortens the PDF watchdog for a test and returns a function
// that restores it.
func SetPDFTimeout(d time.Duration) (restore func()) {
	old := pdfTimeout
	pdfTimeout = func(int) time.Duration { return d }
	return func() { pdfTimeout = old }
}
