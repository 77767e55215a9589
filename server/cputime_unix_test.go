//go:build unix

package server_test

import "syscall"

// cpuTime returns the CPU time the process has used, user and system,
// in seconds: on a busy machine a steadier figure than the wall clock.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
