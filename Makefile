# Faultline — make demo | make test | make bench | make lint | make eval
SHELL  := /bin/bash
GO     ?= go
BIN    := bin/faultline
DB     ?= faultline.db
SHARED ?= ../shared
BRIEFS := $(filter-out examples/README.md,$(wildcard examples/*.txt examples/*.md))
FUZZTIME ?= 3s

.PHONY: all build demo demo-cli test unit browser fuzz bench bench-model bench-http bench-web lint eval generate clean web web-check

all: build

build:
	$(GO) build -o $(BIN) ./cmd/faultline

## demo: build, ingest the project's example briefs into ./faultline.db, show what was found, serve the workbench
demo: demo-cli
	@echo; echo "Serving the workbench on http://127.0.0.1:8080/ (Ctrl-C to stop)"
	$(BIN) --db $(DB) serve --addr 127.0.0.1:8080

## demo-cli: the demo without the server
demo-cli: build
	@rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN) --db $(DB) ingest $(BRIEFS) --publisher "Faultline examples" --reliability C --tlp clear
	@echo; $(BIN) --db $(DB) stats
	@echo; $(BIN) --db $(DB) entities --type armed_group
	@echo; $(BIN) --db $(DB) entity ISKP --mentions 3
	@echo; $(BIN) --db $(DB) relations ISKP
	@echo; $(BIN) --db $(DB) timeline --limit 10
	@echo; echo "Try: $(BIN) --db $(DB) search Haqqani   |   $(BIN) --db $(DB) entity TTP   |   $(BIN) --db $(DB) path TTP ISI"

## test: lint, the whole suite (SQLite always; PostgreSQL-backed tests when a backend exists), fuzz smoke
test: lint unit browser fuzz

unit:
	$(GO) test -count=1 -skip '^TestBrowser$$' ./...

## browser: the workbench in headless Chromium (skips, saying why, without chromium or web/node_modules); prints where the screenshots are
browser:
	$(GO) test -count=1 -run '^TestBrowser$$' -v ./server

## web: rebuild web/dist (committed, embedded in the binary) from web/src with npm and esbuild; web-check: is it current?
web:
	cd web && npm ci --no-audit --no-fund && node build.mjs

web-check:
	cd web && node build.mjs --check

# Each fuzz target runs for $(FUZZTIME); go test -fuzz takes one target per run.
# A failing input is saved under testdata/fuzz and replayed by the second
# run, so a real crash fails twice; the engine's own rare worker hiccups
# on a loaded 2-core machine do not.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg >/tmp/faultline-fuzz.log 2>&1 || { \
	      tail -20 /tmp/faultline-fuzz.log; echo "retrying $$f"; \
	      $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg; }; \
	  done; \
	done

## bench: extraction MB/s on one core, ingest documents/s into SQLite with FTS, export objects/s, the read model build, HTTP load, the network view at 5,000 nodes
bench:
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench 'BenchmarkExtract$$' -benchtime 5x ./extract
	$(GO) test -run '^$$' -bench 'BenchmarkIngest' -benchtime 2000x ./sqlite
	$(GO) test -run '^$$' -bench 'BenchmarkDefault|BenchmarkNew' -benchtime 3x ./gazetteer ./dictionary ./extract
	$(GO) test -run '^$$' -bench 'BenchmarkBuild|BenchmarkShortestPaths' -benchtime 20x ./graph
	$(GO) test -run '^$$' -bench . -benchtime 3x ./pathfind
	$(GO) test -run '^$$' -bench 'BenchmarkExport$$' -benchtime 3x ./export/stix
	@command -v sqlite3 >/dev/null || { apt-get install -y sqlite3 >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y sqlite3 >/dev/null 2>&1; }; } || echo "sqlite3 shell unavailable (apt-get install -y sqlite3): the import bench skips the .import comparison"
	$(GO) test -run '^$$' -bench 'BenchmarkImportUCDP$$' -benchtime 1x -timeout 30m ./importer
	$(MAKE) bench-model
	$(MAKE) bench-http
	$(MAKE) bench-web

# bench-http: a synthetic database of $(BENCH_ENTITIES) entities (made once, kept in
# $(BENCH_DB)), a real server on loopback, 200 clients on the profile and
# neighbourhood endpoints for 20 s: requests/s and p50/p99, and the server's
# peak resident size (on Linux).
BENCH_ENTITIES ?= 100000
BENCH_DB       ?= bin/bench-$(BENCH_ENTITIES).db
BENCH_ADDR     ?= 127.0.0.1:18080
$(BENCH_DB): | build
	$(BIN) --db $@.tmp synth --entities $(BENCH_ENTITIES) --force -v && mv $@.tmp $@

# bench-model: the server's read model built from $(BENCH_DB): seconds (wall and
# CPU), the heap it keeps (live-MB) and the most in use while building (peak-MB).
bench-model: $(BENCH_DB)
	FAULTLINE_BENCH_DB=$(BENCH_DB) $(GO) test -run '^$$' -bench 'BenchmarkModelBuild$$' -benchtime 1x -timeout 30m ./server

bench-http: build $(BENCH_DB)
	@set -e; $(BIN) --db $(BENCH_DB) serve --addr $(BENCH_ADDR) >/tmp/faultline-bench-serve.log 2>&1 & pid=$$!; \
	  trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	  $(GO) run ./tools/httpload -url http://$(BENCH_ADDR) -wait 5m -c 200 -d 20s; \
	  grep 'read model built' /tmp/faultline-bench-serve.log || true; \
	  grep -H VmHWM /proc/$$pid/status 2>/dev/null | sed 's/.*VmHWM:/server peak resident size:/' || true

# bench-web: the network view at 5,000 nodes in headless Chromium
# (web/test/graph-bench.mjs) over a synthetic database of $(WEB_BENCH_ENTITIES)
# entities (made once, kept in $(WEB_BENCH_DB)) served on loopback: time to the
# first batch on screen and to every node, the longest main-thread task while
# loading, filtering by predicate and type, dragging the time slider and
# re-laying out, and frames/s while panning and zooming. Figures, not pass or
# fail; skipped, saying why, without node, web/node_modules or Chromium.
# WEB_BENCH_FLAGS passes options on: --runs N, --shots DIR, --nice -10 (as root:
# the browser ahead of other work on a busy machine), --json FILE.
WEB_BENCH_ENTITIES ?= 10000
WEB_BENCH_DB       ?= bin/bench-web-$(WEB_BENCH_ENTITIES).db
WEB_BENCH_ADDR     ?= 127.0.0.1:18081
WEB_BENCH_FLAGS    ?=
CHROMIUM           ?= /usr/bin/chromium
$(WEB_BENCH_DB): | build
	$(BIN) --db $@.tmp synth --entities $(WEB_BENCH_ENTITIES) --force && mv $@.tmp $@

bench-web: build $(WEB_BENCH_DB)
	@if ! command -v node >/dev/null || [ ! -f web/node_modules/playwright-core/package.json ] || [ ! -x $(CHROMIUM) ]; then \
	  echo "bench-web skipped: needs node, web/node_modules (make web) and $(CHROMIUM) (apt-get install -y chromium)"; exit 0; fi; \
	set -e; $(BIN) --db $(WEB_BENCH_DB) serve --addr $(WEB_BENCH_ADDR) >/tmp/faultline-bench-web.log 2>&1 & pid=$$!; \
	  trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	  node web/test/graph-bench.mjs --base http://$(WEB_BENCH_ADDR) --chromium $(CHROMIUM) --nodes 5000 $(WEB_BENCH_FLAGS)

lint:
	@out=$$(gofmt -l . | grep -v '^web/node_modules' || true); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## eval: score the seed article against its gold annotation (needs ../shared)
eval: build
	@if [ -f $(SHARED)/eval/score.py ]; then \
	  $(BIN) extract $(SHARED)/corpus/seed-iskp-balochistan.txt > /tmp/faultline-seed.json && \
	  echo "== seed article" && \
	  python3 $(SHARED)/eval/score.py $(SHARED)/eval/seed-iskp-balochistan.gold.json /tmp/faultline-seed.json --verbose; \
	  pairs=""; for g in testdata/gold/*.gold.json; do \
	    doc=$$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['document'])" $$g); \
	    f=examples/$$doc; [ -f $$f ] || f=testdata/texts/$$doc; \
	    $(BIN) extract $$f > /tmp/faultline-eval-$$doc.json && pairs="$$pairs $$g /tmp/faultline-eval-$$doc.json"; \
	  done; \
	  echo "== project texts (examples/, testdata/texts/)"; \
	  python3 $(SHARED)/eval/score.py --pairs $$pairs; \
	else echo "$(SHARED) is absent: nothing to score"; fi

## generate: rebuild the committed dictionary and gazetteer data from ../shared/data
generate:
	$(GO) run ./tools/gendict -shared $(SHARED)
	$(GO) run ./tools/gennames -shared $(SHARED)
	$(GO) run ./tools/gengazetteer -src $(SHARED)/data/geonames

clean:
	rm -rf bin $(DB) $(DB)-wal $(DB)-shm
