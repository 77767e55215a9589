package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/extract"
	"github.com/faultline-osint/faultline/sqlite"
)

// app holds what the sub-commands share: global flags, configuration and
// lazily opened resources.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	dbPath     string
	configPath string
	dicts      []string
	asJSON     bool
	verbose    bool

	cfg     config
	cfgFile string // the configuration file read, "" for none
	log     *slog.Logger

	db *sqlite.DB
	ex *extract.Extractor
}

// config is the optional YAML configuration file.
type config struct {
	DB           string   `yaml:"db"`
	Dictionaries []string `yaml:"dictionaries"`
	Ingest       struct {
		Publisher   string `yaml:"publisher"`
		Reliability string `yaml:"reliability"`
		TLP         string `yaml:"tlp"`
		Jobs        int    `yaml:"jobs"`
		MaxSize     string `yaml:"max_size"`
	} `yaml:"ingest"`
	TAXII struct {
		// Queries are the saved queries of the TAXII server, read by
		// serve alone (see taxiiQueries), so that a mistake in one
		// stops the server and not every command.
		Queries yaml.Node `yaml:"queries"`
	} `yaml:"taxii"`
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "faultline",
		Short:         "Read conflict reports into a sourced knowledge graph and question it",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
		PersistentPostRunE: func(*cobra.Command, []string) error { return a.close() },
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbPath, "db", "", "database file (default $FAULTLINE_DB, the config file's db, or ./faultline.db)")
	pf.StringVar(&a.configPath, "config", "", "YAML configuration file (default $FAULTLINE_CONFIG, or ./faultline.yaml when present)")
	pf.StringArrayVar(&a.dicts, "dict", nil, "user dictionary (YAML); repeatable, layered over the bundled one")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log progress details to stderr")
	root.AddCommand(
		a.ingestCommand(), a.extractCommand(), a.entityCommand(), a.entitiesCommand(), a.searchCommand(),
		a.sourcesCommand(), a.statsCommand(), a.mergeCommand(), a.unmergeCommand(), a.aliasCommand(),
		a.claimCommand(), a.claimsCommand(), a.relationsCommand(), a.timelineCommand(), a.pathCommand(),
	)
	root.AddCommand(a.synthCommand(), a.serveCommand())
	root.AddCommand(a.importCommand())
	root.AddCommand(a.exportCommand())
	return root
}

// jsonFlag adds --json to a query command.
func (a *app) jsonFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.asJSON, "json", false, "print JSON")
}

func (a *app) setup(cmd *cobra.Command) error {
	// Per-file failures are printed as one line each by the commands;
	// the log adds detail only with --verbose.
	level := slog.LevelError
	if a.verbose {
		level = slog.LevelInfo
	}
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	path := a.configPath
	if path == "" {
		path = os.Getenv("FAULTLINE_CONFIG")
	}
	explicit := path != ""
	if path == "" {
		path = "faultline.yaml"
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := yaml.Unmarshal(data, &a.cfg); err != nil {
			return faultline.Errorf(faultline.EINVALID, "config %s: %w", path, err)
		}
		a.cfgFile = path
	case explicit || !os.IsNotExist(err):
		return faultline.Errorf(faultline.EINVALID, "config %s: %w", path, err)
	}
	return nil
}

// databasePath applies the precedence: --db, $FAULTLINE_DB, config, default.
func (a *app) databasePath() string {
	switch {
	case a.dbPath != "":
		return a.dbPath
	case os.Getenv("FAULTLINE_DB") != "":
		return os.Getenv("FAULTLINE_DB")
	case a.cfg.DB != "":
		return a.cfg.DB
	}
	return "faultline.db"
}

// store opens the database on first use.
func (a *app) store(ctx context.Context) (*sqlite.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	db, err := sqlite.Open(ctx, a.databasePath())
	if err != nil {
		return nil, err
	}
	a.db = db
	return db, nil
}

// existingStore opens the database for a query, refusing to create one.
func (a *app) existingStore(ctx context.Context) (*sqlite.DB, error) {
	p := a.databasePath()
	if _, err := os.Stat(p); err != nil {
		return nil, faultline.Errorf(faultline.ENOTFOUND, "database %s: no such file; run faultline ingest first or pass --db", p)
	}
	return a.store(ctx)
}

func (a *app) close() error {
	if a.db == nil {
		return nil
	}
	err := a.db.Close()
	a.db = nil
	return err
}

// extractor builds the extractor with the bundled and user dictionaries,
// once per command run. The bundled data is parsed once per process by its
// packages; only the user layers and the trie are built here.
func (a *app) extractor() (*extract.Extractor, error) {
	if a.ex != nil {
		return a.ex, nil
	}
	d, err := dictionary.Default()
	if err != nil {
		return nil, err
	}
	for _, p := range append(append([]string{}, a.cfg.Dictionaries...), a.dicts...) {
		entries, err := dictionary.LoadFile(p)
		if err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "%w", err)
		}
		d = d.With(entries...)
	}
	if a.ex, err = extract.New(extract.Options{Dictionary: d}); err != nil {
		return nil, err
	}
	return a.ex, nil
}

// printJSON writes v as indented JSON.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// exactArgs is cobra.ExactArgs reporting a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return &usageError{err}
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MinimumNArgs(n)(cmd, args); err != nil {
			return &usageError{err}
		}
		return nil
	}
}
