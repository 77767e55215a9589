// Command httpload is the HTTP load run of make bench: N concurrent
// clients, each sending its next request as soon as the last is answered
// (a closed loop, so latency includes any queueing), against a Faultline
// server's entity profile and neighbourhood endpoints, for a fixed time.
// Entities are drawn uniformly from a sample read through the paged
// entity listing, so that caches see the long tail, not a few hubs. It
// prints requests/s and latency percentiles per endpoint and overall.
//
//	go run ./tools/httpload -url http://127.0.0.1:8080 -c 200 -d 20s
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	var (
		base     = flag.String("url", "http://127.0.0.1:8080", "server address (loopback only)")
		clients  = flag.Int("c", 200, "concurrent clients")
		duration = flag.Duration("d", 20*time.Second, "how long to run")
		warmup   = flag.Duration("warmup", 3*time.Second, "run this long first, unmeasured")
		sample   = flag.Int("sample", 20000, "entities to draw from")
		token    = flag.String("token", os.Getenv("FAULTLINE_TOKEN"), "bearer token, if the server wants one")
		target   = flag.Duration("target", 50*time.Millisecond, "p99 target to report against")
		wait     = flag.Duration("wait", 0, "wait this long for the server to answer before starting")
	)
	flag.Parse()
	if err := waitFor(*base, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
	if err := run(*base, *clients, *duration, *warmup, *sample, *token, *target); err != nil {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
}

// loopback refuses any target but this machine: a load run must never
// leave it.
func loopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address", host)
	}
	return nil
}

// waitFor polls the server's stats until it answers (it builds its read
// model before listening), for at most d.
func waitFor(base string, d time.Duration) error {
	if err := loopback(base); err != nil {
		return err
	}
	deadline := time.Now().Add(d)
	for {
		res, err := http.Get(base + "/api/v1/stats")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer within %s", base, d)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

type result struct {
	endpoint int
	d        time.Duration
	err      bool
}

var endpoints = []string{"profile", "neighbourhood"}

var only = os.Getenv("HTTPLOAD_ONLY")

func run(base string, clients int, duration, warmup time.Duration, sample int, token string, target time.Duration) error {
	if err := loopback(base); err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	get := func(ctx context.Context, path string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return nil, err
		}
		if res.StatusCode != 200 {
			return nil, fmt.Errorf("%s: %s", path, res.Status)
		}
		return body, nil
	}

	// The sample: entities from pages spread over the listing.
	ctx := context.Background()
	var ids []string
	cursor := ""
	for len(ids) < sample {
		body, err := get(ctx, "/api/v1/entities?limit=1000&cursor="+url.QueryEscape(cursor))
		if err != nil {
			return err
		}
		var pg struct {
			Entities []struct{ ID string }
			Next     string
		}
		if err := json.Unmarshal(body, &pg); err != nil {
			return err
		}
		for _, e := range pg.Entities {
			ids = append(ids, e.ID)
		}
		if pg.Next == "" {
			break
		}
		cursor = pg.Next
	}
	if len(ids) == 0 {
		return errors.New("the server lists no entities")
	}
	fmt.Printf("httpload: %d clients, %s (after %s warm-up), %d entities sampled, endpoints %s\n",
		clients, duration, warmup, len(ids), strings.Join(endpoints, " + "))

	measure := func(d time.Duration, record bool) ([]result, time.Duration) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		var mu sync.Mutex
		var all []result
		var wg sync.WaitGroup
		start := time.Now()
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				var mine []result
				for ctx.Err() == nil {
					ep := rng.IntN(len(endpoints))
					if only != "" {
						ep = slices.Index(endpoints, only)
					}
					id := ids[rng.IntN(len(ids))]
					path := "/api/v1/entities/" + id
					if ep == 1 {
						path += "/neighbourhood?hops=1&max_nodes=200"
					}
					t0 := time.Now()
					_, err := get(ctx, path)
					if ctx.Err() != nil {
						break // cut off by the end of the run: not a result
					}
					mine = append(mine, result{endpoint: ep, d: time.Since(t0), err: err != nil})
				}
				if record {
					mu.Lock()
					all = append(all, mine...)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return all, time.Since(start)
	}
	if warmup > 0 {
		measure(warmup, false)
	}
	all, elapsed := measure(duration, true)

	report := func(name string, rs []result) {
		var ds []time.Duration
		errs := 0
		for _, r := range rs {
			if r.err {
				errs++
				continue
			}
			ds = append(ds, r.d)
		}
		if len(ds) == 0 {
			fmt.Printf("  %-14s no successful requests, %d errors\n", name, errs)
			return
		}
		slices.Sort(ds)
		pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(float64(len(ds))*p))] }
		fmt.Printf("  %-14s %7d requests %8.0f req/s   p50 %7s   p90 %7s   p99 %7s   max %7s   errors %d\n",
			name, len(rs), float64(len(rs))/elapsed.Seconds(), pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond),
			pct(0.99).Round(10*time.Microsecond), ds[len(ds)-1].Round(time.Millisecond), errs)
	}
	for i, name := range endpoints {
		var rs []result
		for _, r := range all {
			if r.endpoint == i {
				rs = append(rs, r)
			}
		}
		report(name, rs)
	}
	report("all", all)
	var ds []time.Duration
	for _, r := range all {
		ds = append(ds, r.d)
	}
	slices.Sort(ds)
	if len(ds) > 0 {
		p99 := ds[min(len(ds)-1, int(float64(len(ds))*0.99))]
		verdict := "meets"
		if p99 > target {
			verdict = "misses"
		}
		fmt.Printf("httpload: p99 %s %s the %s target at %d clients\n", p99.Round(10*time.Microsecond), verdict, target, clients)
	}
	return nil
}
