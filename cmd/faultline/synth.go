package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/internal/synth"
)

func (a *app) synthCommand() *cobra.Command {
	var o synth.Options
	var force bool
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Build a synthetic database of realistic shape for benchmarks",
		Long: `Build a synthetic database for benchmarks and load tests: --entities
entities of every type with a heavy-tailed number of ties, about one document
per two entities stating relations and events with hedges, dates and places.
The same --seed gives the same database. The database must not exist yet
(or pass --force to replace it).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			path := a.databasePath()
			if _, err := os.Stat(path); err == nil {
				if !force {
					return faultline.Errorf(faultline.ECONFLICT, "synth: %s exists; pass --force to replace it", path)
				}
				for _, p := range []string{path, path + "-wal", path + "-shm"} {
					if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
						return fmt.Errorf("synth: remove %s: %w", p, err)
					}
				}
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			// A million entities make indexes of gigabytes; a page cache
			// of about a kilobyte per entity keeps the load from reading
			// them back from the OS at every insert.
			if err := st.SetWriteCache(ctx, max(32, o.Entities/1000)); err != nil {
				return err
			}
			start := time.Now()
			o.Progress = func(docs, total int) {
				a.log.Info("synth", "documents", docs, "of", total, "elapsed", time.Since(start).Round(time.Second))
			}
			res, err := synth.Build(ctx, st, o)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(res)
			}
			fmt.Fprintf(a.stdout, "%s: %d entities, %d documents, %d relation claims, %d event claims, %d mentions in %s\n",
				path, res.Entities, res.Documents, res.Relations, res.Events, res.Mentions, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().IntVar(&o.Entities, "entities", 10000, "how many entities (10000, 100000, 1000000…)")
	cmd.Flags().Uint64Var(&o.Seed, "seed", 1, "random seed")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing database")
	a.jsonFlag(cmd)
	return cmd
}
