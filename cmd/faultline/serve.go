package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	faultline "github.com/faultline-osint/faultline"

	"github.com/faultline-osint/faultline/gazetteer"
	"github.com/faultline-osint/faultline/server"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/taxii"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr, token, who string
		maxUpload        string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web workbench and the JSON API",
		Long: `Serve the analyst's workbench (search, profiles, source view, network,
timeline, map, review queue, ingest) and the JSON API under /api/v1, documented
at /api/v1/openapi.json. It binds 127.0.0.1:8080 by default. Binding any other
address requires an access token (--token or FAULTLINE_TOKEN, at least 16
characters), sent as "Authorization: Bearer TOKEN" or entered on the login
page; without one the server refuses to start.

A read-only TAXII 2.1 server answers under /taxii2/, behind the same token:
one collection per TLP level, and one per saved query of the config file
(taxii: queries: with name, title, description, tlp_max, since, entity,
hops). A malformed saved query stops the server from starting.

Once the read model is built, the garbage collector is tuned for it (see
tuneGC): GOGC and GOMEMLIMIT, when set, are left alone.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if token == "" {
				token = os.Getenv("FAULTLINE_TOKEN")
			}
			if err := server.CheckBind(addr, token); err != nil {
				return &usageError{err}
			}
			max, err := parseSize(maxUpload)
			if err != nil {
				return err
			}
			// Checked before anything is opened: a bad saved query
			// stops the server at once.
			queries, err := a.taxiiQueries()
			if err != nil {
				return err
			}
			// An empty database is fine: documents can be ingested from
			// the browser.
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			mount, err := a.mounts(ctx, st, queries, log)
			if err != nil {
				return err
			}
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			srv, err := server.New(st, server.Config{Token: token, Analyst: who, MaxUpload: max, Log: log, Extractor: ex, Mount: mount})
			if err != nil {
				return err
			}
			start := time.Now()
			if err := srv.Warm(ctx); err != nil {
				return err
			}
			log.Info("ready", "warm", time.Since(start).Round(time.Millisecond))
			tuneGC(log)
			return srv.ListenAndServe(ctx, addr, func(l net.Addr) {
				fmt.Fprintf(a.stdout, "Faultline is serving %s on http://%s/ (API: /api/v1, docs: /api/v1/openapi.json)\n", a.databasePath(), l)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on; anything but loopback needs --token")
	f.StringVar(&token, "token", "", "access token required of every request (default $FAULTLINE_TOKEN)")
	f.StringVar(&who, "analyst", analyst(), "name recorded on reviews and merges made through the server")
	f.StringVar(&maxUpload, "max-upload", "50MB", "largest document accepted by ingest")
	return cmd
}

// mounts lists the handlers served beside the API, behind the same
// authentication: the read-only TAXII 2.1 server at /taxii2/, with the
// config file's saved queries as collections. A query's entity is looked
// up when its collection is read, since the database changes while the
// server runs; one not found now is only logged.
func (a *app) mounts(ctx context.Context, st *sqlite.DB, queries []taxii.Query, log *slog.Logger) (map[string]http.Handler, error) {
	gz, _ := gazetteer.Default() // without it, locations only lose enrichment
	h, err := taxii.NewHandler(st, taxii.Options{Prefix: "/taxii2/", Gazetteer: gz, Queries: queries})
	if err != nil {
		return nil, faultline.Errorf(faultline.EINVALID, "config %s: %w", a.cfgFile, err)
	}
	for _, q := range queries {
		if q.Entity == "" {
			continue
		}
		if _, err := st.FindEntity(ctx, q.Entity); err != nil {
			log.Warn("taxii saved query: its collection answers 404 until the entity is found",
				"config", a.cfgFile, "query", q.Name, "entity", q.Entity, "error", faultline.ErrorMessage(err))
		}
	}
	return map[string]http.Handler{"/taxii2/": h}, nil
}

// queryKeys are the keys of a saved query in the config file, from
// taxii.Query's yaml tags.
var queryKeys = func() []string {
	var keys []string
	t := reflect.TypeFor[taxii.Query]()
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}()

// taxiiQueries reads the config file's saved TAXII queries (taxii:
// queries:). Keys are checked, since a misspelt one (tlp-max for tlp_max)
// would leave a collection without the limit it was meant to have, and
// tlp_max is read as --tlp-max is ("TLP:GREEN" is green). The rest (since,
// hops, names used twice) taxii.NewHandler checks.
func (a *app) taxiiQueries() ([]taxii.Query, error) {
	n := &a.cfg.TAXII.Queries
	if n.Kind == 0 || n.Tag == "!!null" {
		return nil, nil
	}
	bad := func(line int, query, format string, args ...any) error {
		where := fmt.Sprintf("config %s line %d: taxii.queries", a.cfgFile, line)
		if query != "" {
			where += " " + query
		}
		return faultline.Errorf(faultline.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
	}
	if n.Kind != yaml.SequenceNode {
		return nil, bad(n.Line, "", "want a list of queries (- name: …)")
	}
	var out []taxii.Query
	for i, item := range n.Content {
		label := fmt.Sprintf("#%d", i+1)
		if item.Kind != yaml.MappingNode {
			return nil, bad(item.Line, label, "want a mapping (name: …, tlp_max: …)")
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value == "name" && item.Content[j+1].Value != "" {
				label = strconv.Quote(item.Content[j+1].Value)
			}
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			if k := item.Content[j]; !slices.Contains(queryKeys, k.Value) {
				return nil, bad(k.Line, label, "unknown key %q: want %s", k.Value, strings.Join(queryKeys, ", "))
			}
		}
		var q taxii.Query
		if err := item.Decode(&q); err != nil {
			// yaml's type errors run over several lines.
			msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
			return nil, bad(item.Line, label, "%s", strings.Join(strings.Fields(msg), " "))
		}
		if q.Name == "" {
			return nil, bad(item.Line, label, "a saved query needs a name: its collection's id derives from it")
		}
		if q.MaxTLP != "" {
			t, err := faultline.ParseTLP(string(q.MaxTLP))
			if err != nil {
				return nil, bad(item.Line, label, "tlp_max: %s", faultline.ErrorMessage(err))
			}
			q.MaxTLP = t
		}
		out = append(out, q)
	}
	return out, nil
}

// GC targets for a serving process; see tuneGC.
const (
	serveGCPercent = 400
	minMemoryLimit = 2 << 30
	memoryLimitX   = 4 // times the live heap after the build
)

// tuneGC sets the garbage collector's target for a server that holds a
// large read model. The model is long-lived and pointer-dense (on the
// 100,000-entity benchmark database, some 500 MB live): every cycle marks
// all of it, so with the default GOGC=100 a cycle runs each time requests
// allocate as much as the model weighs, takes seconds of CPU on a small
// machine, and its assists and workers are the latency tail of the
// answers. Requests allocate little, so a higher GOGC (400) makes cycles
// rare for a bounded cost in memory; a soft memory limit of four times the
// live heap (at least 2 GiB) then caps that growth, making the collector
// run earlier rather than let the heap reach five times the model. It runs
// after the build, whose own garbage is collected first, so that the build
// does not run with the higher target. GOGC or GOMEMLIMIT set in the
// environment win over either setting.
func tuneGC(log *slog.Logger) {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if gogc && limit {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if !gogc {
		debug.SetGCPercent(serveGCPercent)
	}
	// SetMemoryLimit with a negative value only reads the limit.
	if !limit && debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(max(minMemoryLimit, memoryLimitX*int64(ms.HeapAlloc)))
	}
	log.Info("garbage collector tuned", "live_heap_mb", ms.HeapAlloc>>20, "memory_limit_mb", debug.SetMemoryLimit(-1)>>20)
}
