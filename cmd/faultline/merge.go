package main

import (
	"fmt"
	"os/user"

	"github.com/spf13/cobra"
)

// analyst names who made a decision, for the merge and review logs.
func analyst() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "analyst"
}

func (a *app) mergeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "merge FROM INTO",
		Short: "Merge entity FROM into entity INTO (reversible with unmerge)",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.Merge(cmd.Context(), args[0], args[1], analyst()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "merged %q into %q\n", args[0], args[1])
			return nil
		},
	}
}

func (a *app) unmergeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "unmerge NAME|ID",
		Short: "Undo the merge of an entity into another",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.Unmerge(cmd.Context(), args[0], analyst()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "unmerged %q\n", args[0])
			return nil
		},
	}
}

func (a *app) aliasCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alias",
		Short: "Manage analyst aliases",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "add ENTITY ALIAS",
		Short: "Add an alias; later documents using it resolve to the entity",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.AddAlias(cmd.Context(), args[0], args[1], analyst()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%q is now an alias of %q\n", args[1], args[0])
			return nil
		},
	})
	return cmd
}
