// Builds web/dist from web/src and the npm packages: the page scripts and
// styles with esbuild, and the offline basemap (an SVG in the map's
// equirectangular projection, 10 units a degree) from Natural Earth's
// countries as world-atlas ships them. The output is deterministic:
// `node build.mjs --check` rebuilds in memory and fails if dist/ differs,
// which TestDistCurrent runs wherever node_modules is installed.
import * as esbuild from 'esbuild';
import { feature, mesh } from 'topojson-client';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const check = process.argv.includes('--check');

const outputs = new Map();

const result = await esbuild.build({
  entryPoints: {
    app: join(here, 'src/app.js'), graph: join(here, 'src/graph.js'),
    'layout-worker': join(here, 'src/layout-worker.js'), 'draw-worker': join(here, 'src/draw-worker.js'),
    'app-style': join(here, 'src/app.css'),
  },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  outdir: dist,
  logLevel: 'warning',
});
for (const f of result.outputFiles) {
  let name = f.path.slice(dist.length + 1);
  if (name === 'app-style.css') name = 'app.css';
  outputs.set(name, Buffer.from(f.contents));
}

// The basemap: land filled, borders drawn once each (a mesh), coordinates
// rounded to a tenth of a unit (a hundredth of a degree).
const SCALE = 10;
const world = JSON.parse(readFileSync(join(here, 'node_modules/world-atlas/countries-50m.json'), 'utf8'));
const r = (v) => Math.round(v * 10) / 10;
const project = ([lon, lat]) => [r((lon + 180) * SCALE), r((90 - lat) * SCALE)];
function ringPath(ring) {
  let d = '';
  let last = '';
  ring.forEach((pt, i) => {
    const [x, y] = project(pt);
    const s = `${x} ${y}`;
    if (s === last) return;
    d += (i === 0 ? 'M' : 'L') + s;
    last = s;
  });
  return d;
}
function geomPath(g) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((p) => p.map((ring) => ringPath(ring) + 'Z').join('')).join('');
}
const countries = feature(world, world.objects.countries);
const land = countries.features.map((f) => geomPath(f.geometry)).join('');
const borders = mesh(world, world.objects.countries, (a, b) => a !== b);
const borderPath = borders.coordinates.map((line) => ringPath(line)).join('');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${360 * SCALE} ${180 * SCALE}" width="${360 * SCALE}" height="${180 * SCALE}">` +
  `<!-- Natural Earth 1:50m countries (public domain), via the world-atlas npm package; equirectangular, ${SCALE} units a degree. -->` +
  `<path d="${land}" fill="#e8e4d8" stroke="none"/>` +
  `<path d="${borderPath}" fill="none" stroke="#a9a391" stroke-width="0.6" stroke-linejoin="round"/>` +
  `</svg>\n`;
outputs.set('basemap.svg', Buffer.from(svg));

if (check) {
  const stale = [];
  for (const [name, data] of outputs) {
    const p = join(dist, name);
    if (!existsSync(p) || !readFileSync(p).equals(data)) stale.push(name);
  }
  if (stale.length) {
    console.error(`web/dist is stale (${stale.join(', ')}): run make web and commit web/dist`);
    process.exit(1);
  }
  console.log(`web/dist is current (${outputs.size} files)`);
} else {
  mkdirSync(dist, { recursive: true });
  for (const [name, data] of outputs) writeFileSync(join(dist, name), data);
  console.log(`wrote ${[...outputs.keys()].map((n) => `dist/${n} (${outputs.get(n).length} bytes)`).join(', ')}`);
}
