//go:build !unix

package server_test

// cpuTime is not measured here: BenchmarkModelBuild reports 0.
func cpuTime() float64 { return 0 }
