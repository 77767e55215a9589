package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/gexf"
	"github.com/faultline-osint/faultline/export/graphml"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/gazetteer"
)

// exportFormats lists the formats of faultline export.
var exportFormats = []string{"stix", "graphml", "gexf", "csv", "geojson"}

func (a *app) exportCommand() *cobra.Command {
	var format, output, since, tlpMax, entity, table string
	var hops int
	cmd := &cobra.Command{
		Use:   "export --format stix|graphml|gexf|csv|geojson",
		Short: "Write the graph as STIX 2.1, GraphML, GEXF, CSV or GeoJSON",
		Long: `Write the graph, or part of it, in a format other tools read:

  stix     a STIX 2.1 bundle (OpenCTI, MISP): threat actors, identities,
           locations, relationships, events, reports and evidence notes,
           with TLP 2.0 markings
  graphml  GraphML for Gephi, yEd, Cytoscape, networkx
  gexf     GEXF for Gephi, with time intervals for its timeline
  csv      tables sources, entities, relations, events and claims (with
           evidence): -o DIR writes DIR/NAME.csv for each; --table NAME
           writes one table to stdout
  geojson  places and located events as GeoJSON features

The output goes to stdout unless -o is given; a file is written whole or
not at all. --tlp-max leaves out everything that comes from sources marked
above it: their claims, the relations and events only they support, the
entities only they mention, their reports and notes. --since keeps sources
ingested or published on or after a date (YYYY, YYYY-MM or YYYY-MM-DD) and
what they support. --entity keeps the neighbourhood of an entity: what lies
within --hops relations or shared events of it. The records of event
datasets (faultline import --format ucdp|acled) leave as events of their
own in every format, whole (the dataset's id and line, precision codes,
period, coordinates, deaths, sources and notes), under the same limits: a
dataset file is one source, with the marking its import gave it. The same
database and flags always give the same bytes.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := faultline.SnapshotFilter{Since: since, IncludeUnsourced: true}
			switch {
			case format == "":
				return &usageError{fmt.Errorf("--format is required: %s", strings.Join(exportFormats, ", "))}
			case !slices.Contains(exportFormats, format):
				return &usageError{fmt.Errorf("--format %q: want %s", format, strings.Join(exportFormats, ", "))}
			case table != "" && format != "csv":
				return &usageError{fmt.Errorf("--table is for --format csv")}
			case table != "" && !slices.Contains(export.Tables, table):
				return &usageError{fmt.Errorf("--table %q: want %s", table, strings.Join(export.Tables, ", "))}
			case format == "csv" && output == "" && table == "":
				return &usageError{fmt.Errorf("--format csv writes several tables: give -o DIR, or --table NAME for one table on stdout")}
			case hops < 0:
				return &usageError{fmt.Errorf("--hops %d: want 0 or more", hops)}
			case cmd.Flags().Changed("hops") && entity == "":
				return &usageError{fmt.Errorf("--hops needs --entity")}
			}
			if since != "" {
				if _, err := faultline.ParseDate(since); err != nil {
					return &usageError{fmt.Errorf("--since %q: want a date YYYY, YYYY-MM or YYYY-MM-DD", since)}
				}
			}
			if tlpMax != "" {
				t, err := faultline.ParseTLP(tlpMax)
				if err != nil {
					return &usageError{fmt.Errorf("--tlp-max %q: want clear, green, amber, amber+strict or red", tlpMax)}
				}
				f.MaxTLP = t
			}
			st, err := a.existingStore(ctx)
			if err != nil {
				return err
			}
			var id string
			if entity != "" {
				e, err := st.FindEntity(ctx, entity)
				if err != nil {
					return &usageError{fmt.Errorf("--entity: %s", faultline.ErrorMessage(err))}
				}
				id = e.ID
			}
			snap, err := st.Snapshot(ctx, f)
			if err != nil {
				return err
			}
			if id != "" {
				if snap, err = snap.Neighbourhood(id, hops); err != nil {
					return &usageError{fmt.Errorf("--entity %s: %s", entity, faultline.ErrorMessage(err))}
				}
			}
			if format == "csv" && table == "" {
				return export.WriteCSVDir(output, snap)
			}
			return writeOutput(a.stdout, output, func(w io.Writer) error {
				return writeFormat(ctx, w, format, table, snap)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "", "output format: "+strings.Join(exportFormats, ", "))
	fl.StringVarP(&output, "output", "o", "", "write to this file (for csv: this directory) instead of stdout")
	fl.StringVar(&since, "since", "", "only sources ingested or published on or after this date, and what they support")
	fl.StringVar(&tlpMax, "tlp-max", "", "leave out everything from sources marked above this TLP: clear, green, amber, amber+strict, red")
	fl.StringVar(&entity, "entity", "", "only the neighbourhood of this entity (id, name or alias)")
	fl.IntVar(&hops, "hops", 2, "with --entity: how many relations or shared events away to reach")
	fl.StringVar(&table, "table", "", "with --format csv: write this one table to stdout: "+strings.Join(export.Tables, ", "))
	return cmd
}

// writeFormat writes the snapshot in one of the single-file formats.
func writeFormat(_ context.Context, w io.Writer, format, table string, snap *faultline.Snapshot) error {
	switch format {
	case "stix":
		gz, err := gazetteer.Default()
		if err != nil {
			return err
		}
		// Object by object: a dataset's bundle is several times the
		// size of its snapshot.
		return stix.Write(w, snap, stix.Options{Gazetteer: gz})
	case "graphml":
		return graphml.Write(w, export.NewNetwork(snap))
	case "gexf":
		return gexf.Write(w, export.NewNetwork(snap))
	case "geojson":
		return export.WriteGeoJSON(w, snap)
	case "csv":
		return export.WriteCSV(w, table, snap)
	}
	return faultline.Errorf(faultline.EINVALID, "format %q: want %s", format, strings.Join(exportFormats, ", "))
}

// writeOutput runs write on stdout, or on a temporary file beside path
// that replaces path only when write succeeds.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return faultline.Errorf(faultline.EINVALID, "output %s: %w", path, err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = faultline.Errorf(faultline.EINTERNAL, "write %s: %w", path, cerr)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
