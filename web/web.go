// Package web holds the workbench's front end: the html/template pages in
// templates/ and, in dist/, the scripts, styles and basemap that esbuild
// builds from src/ (make web). dist/ is committed, so that a fresh clone
// builds and serves the UI without npm; TestDistCurrent checks it matches
// its sources wherever npm's packages are installed.
package web

import "embed"

// Templates holds templates/*.html.
//
//go:embed templates/*.html
var Templates embed.FS

// Dist holds the built assets, served under /static/.
//
//go:embed dist
var Dist embed.FS
