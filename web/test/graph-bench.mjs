// The network view at scale, measured in Chromium: a benchmark, not a
// test (it prints figures and fails only when the page breaks). Against a
// running server over a synthetic database it opens /graph on the
// best-connected entity, loads two hops progressively up to --nodes
// nodes, and reports
//
//   - time to the first batch painted (the page's own first neighbourhood,
//     and the first batch of the big load after the click),
//   - time until every node and tie is in,
//   - the longest main-thread task (PerformanceObserver 'longtask') and
//     the longest gap between two animation frames, during the load,
//     a predicate filter change, a type filter change, a time-slider drag
//     and a re-layout,
//   - frames per second while panning and zooming with the mouse.
//
//   node web/test/graph-bench.mjs --base http://127.0.0.1:18081 \
//     [--nodes 5000] [--chromium /usr/bin/chromium] [--shots DIR] [--runs 1] \
//     [--json FILE] [--nice -10] [--dist DIR] [--verbose]
//
// --dist DIR serves the page's scripts from DIR instead of the server's
// (two builds compared against one server); --nice, see below. With more
// than one run it ends with the median and the worst of each figure. The
// machine's load average is printed with every run: on a shared machine
// the figures move with it.
//
// `make bench-web` builds a synthetic database, serves it and runs this.
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { mkdirSync, readFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, setPriority } from 'node:os';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const base = arg('base', 'http://127.0.0.1:18081');
const target = Number(arg('nodes', '5000'));
const shots = arg('shots', '');
const runs = Number(arg('runs', '1'));
const verbose = process.argv.includes('--verbose');
const dist = arg('dist', '');
// --nice N (say -10, as root) raises the browser's scheduling priority: on
// a machine busy with other work it approximates an idle one. The figures
// say which was used.
const nice = arg('nice', '');

// renice sets the priority of every process this one started (the
// browser and its helpers), read from /proc.
function renice() {
  if (nice === '') return;
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const todo = [...(kids.get(process.pid) || [])];
  while (todo.length) {
    const pid = todo.pop();
    try { setPriority(pid, Number(nice)); } catch (e) { console.log(`renice ${pid}: ${e.message}`); }
    todo.push(...(kids.get(pid) || []));
  }
}
if (shots) mkdirSync(shots, { recursive: true });

const ms = (x) => `${Math.round(x)} ms`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`machine: ${cpus().length} cores, load average ${load()}`);

// The server may still be starting (it builds its read model first).
let list = null;
for (let t0 = Date.now(); ; await new Promise((res) => setTimeout(res, 500))) {
  try {
    const res = await fetch(`${base}/api/v1/entities?limit=100`);
    if (res.ok) {
      list = await res.json();
      break;
    }
  } catch { /* not listening yet */ }
  if (Date.now() - t0 > 300000) throw new Error(`no answer from ${base} in 5 minutes`);
}
if (!list.entities.length) throw new Error(`${base} serves an empty database: make one with faultline synth --entities 10000`);
// The hub: the node of highest degree among the first neighbourhoods of
// the first entities listed.
let hub = null;
for (const e of list.entities.slice(0, 40)) {
  const nb = await (await fetch(`${base}/api/v1/entities/${e.id}/neighbourhood?hops=1&max_nodes=50`)).json();
  for (const n of nb.nodes) if (!hub || n.degree > hub.degree) hub = n;
}
console.log(`hub: ${hub.name} (${hub.degree} ties)`);

const browser = await chromium.launch({
  executablePath: arg('chromium', '/usr/bin/chromium'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

// In the page, before any script: long tasks and animation-frame gaps,
// each with its start time, so that a window of time can be read back.
const probe = () => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push([e.startTime, e.duration])))
    .observe({ type: 'longtask', buffered: true });
  window.__gaps = [];
  let last = 0;
  const frame = (t) => {
    if (last) window.__gaps.push([last, t - last]);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Frames that put more nodes on screen than the last one: the first
  // batch on screen. The page says what its picture shows (state.painted,
  // event painted: a picture painted in a worker reaches the screen a
  // little after the nodes are added); for a page that does not, a frame
  // cytoscape drew shows every node there is.
  window.__renders = [];
  const hook = () => {
    const g = window.faultlineGraph;
    if (!g) { setTimeout(hook, 5); return; }
    const note = (n) => {
      const prev = window.__renders.length ? window.__renders[window.__renders.length - 1][1] : 0;
      if (n > prev) window.__renders.push([performance.now(), n]);
    };
    if ('painted' in g.state) g.cy.on('painted', () => note(g.state.painted));
    else g.cy.on('render', () => note(g.cy.nodes().length));
  };
  hook();
};

// window reads back the long tasks and frame gaps since t0 (page time).
const windowSince = (page, t0) => page.evaluate((t) => {
  const long = window.__long.filter(([s]) => s >= t).map(([, d]) => d);
  const gaps = window.__gaps.filter(([s]) => s >= t).map(([, d]) => d);
  return { longest: Math.max(0, ...long), count: long.length, gap: Math.max(0, ...gaps) };
}, t0);
const now = (page) => page.evaluate(() => performance.now());
// settle waits until nothing is loading and no long task or frame gap
// over 100 ms has happened for 600 ms (at most 30 s).
async function settle(page) {
  const t = Date.now();
  try {
    await page.waitForFunction((since) => {
      const g = window.faultlineGraph;
      if (!g || g.state.loading > 0 || (g.state.restyling || 0) > 0) return false;
      const now = performance.now();
      const lastLong = window.__long.length ? window.__long[window.__long.length - 1] : [0, 0];
      const lastGap = window.__gaps.filter(([, d]) => d > 100).pop() || [0, 0];
      return now - Math.max(since, lastLong[0] + lastLong[1], lastGap[0] + lastGap[1]) > 600;
    }, await now(page), { timeout: 60000, polling: 100 });
  } catch {
    console.log(`  (the page was still busy after ${ms(Date.now() - t)})`);
  }
}

const results = [];

for (let run = 1; run <= runs; run++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(probe);
  if (dist) {
    // Scripts from a build folder rather than the server's: compare two
    // builds against one server.
    await page.route('**/static/*.js', (route) => {
      const file = join(dist, new URL(route.request().url()).pathname.replace('/static/', ''));
      if (!existsSync(file)) return route.continue();
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(file) });
    });
  }
  const r = {};
  renice();

  // 1. The page's own first neighbourhood.
  const tNav = Date.now();
  await page.goto(`${base}/graph?entity=${hub.id}`);
  await page.waitForSelector('#graph-page[data-state="ready"]', { timeout: 60000 });
  renice(); // the page's own process, if navigation made one
  const firstPaint = await page.evaluate(() => (window.__renders.find(([, n]) => n > 1) || [NaN])[0]);
  r.open = { firstPaint, ready: Date.now() - tNav, nodes: await page.evaluate(() => window.faultlineGraph.cy.nodes().length) };
  await settle(page);

  // 2. The big load: two hops, up to the target.
  const before = await page.evaluate(() => window.faultlineGraph.cy.nodes().length);
  const t0 = await now(page);
  await page.evaluate((n) => {
    const b = document.getElementById('expand-all');
    if (b.dataset.max !== undefined) b.dataset.max = String(n);
    b.click();
  }, target);
  await page.waitForFunction((b) => window.__renders.some(([, n]) => n > b), before, { timeout: 60000, polling: 16 });
  await page.waitForFunction(() => (window.faultlineGraph.state.adding ?? window.faultlineGraph.state.loading) === 0, null, { timeout: 180000, polling: 50 });
  const t1 = await now(page);
  const lw = await windowSince(page, t0);
  const firstBatch = await page.evaluate(([b, t]) => window.__renders.find(([s, n]) => n > b && s >= t)[0], [before, t0]);
  const afterFirst = await windowSince(page, firstBatch);
  const size = await page.evaluate(() => ({ nodes: window.faultlineGraph.cy.nodes().length, edges: window.faultlineGraph.cy.edges().length }));
  r.load = { firstBatch: firstBatch - t0, all: t1 - t0, ...size, longest: lw.longest, longTasks: lw.count, gap: lw.gap,
    longestAfterFirst: afterFirst.longest, gapAfterFirst: afterFirst.gap };
  // Whatever runs after the last batch (a layout, say) belongs to the load.
  await settle(page);
  const tail = await windowSince(page, t0);
  r.load.settled = (await now(page)) - t0 - 600;
  r.load.longest = tail.longest;
  r.load.gap = tail.gap;
  r.load.longestAfterFirst = (await windowSince(page, firstBatch)).longest;
  r.load.gapAfterFirst = (await windowSince(page, firstBatch)).gap;
  await page.evaluate(() => (window.faultlineGraph.fit ? window.faultlineGraph.fit() : window.faultlineGraph.cy.fit(undefined, 20)));
  await settle(page);
  if (shots) await page.screenshot({ path: join(shots, `graph-${size.nodes}.png`) });

  // scenario times fn's main-thread work until the page is quiet again.
  const scenario = async (name, fn) => {
    await settle(page);
    const s = await now(page);
    await fn();
    await settle(page);
    const w = await windowSince(page, s);
    r[name] = { longest: w.longest, longTasks: w.count, gap: w.gap };
    if (verbose) console.log(`  … ${name}: ${JSON.stringify(r[name])}`);
  };
  // The most common predicate among the loaded ties.
  const pred = await page.evaluate(() => {
    const c = {};
    window.faultlineGraph.cy.edges().forEach((e) => { c[e.data('predicate')] = (c[e.data('predicate')] || 0) + 1; });
    return Object.entries(c).sort((a, b) => b[1] - a[1])[0][0];
  });
  await scenario('predicateOff', () => page.click(`#pred-filters input[value="${pred}"]`));
  await scenario('predicateOn', () => page.click(`#pred-filters input[value="${pred}"]`));
  await scenario('typeOff', () => page.click('#type-filters input[value="person"]'));
  await scenario('typeOn', () => page.click('#type-filters input[value="person"]'));
  // The slider dragged with the mouse from the right end to the left.
  const slider = await page.locator('#year').boundingBox();
  await scenario('slider', async () => {
    const y = slider.y + slider.height / 2;
    await page.mouse.move(slider.x + slider.width - 2, y);
    await page.mouse.down();
    for (let k = 1; k <= 20; k++) await page.mouse.move(slider.x + slider.width * (1 - k / 40), y);
    await page.mouse.up();
  });
  r.sliderVisible = await page.evaluate(() => window.faultlineGraph.cy.edges(':visible').length);
  await scenario('sliderBack', async () => {
    await page.evaluate(() => {
      const y = document.getElementById('year');
      y.value = y.max;
      y.dispatchEvent(new Event('input', { bubbles: true }));
    });
  });
  await scenario('relayout', () => page.click('#relayout'));
  await page.evaluate(() => (window.faultlineGraph.fit ? window.faultlineGraph.fit() : window.faultlineGraph.cy.fit(undefined, 20)));
  await settle(page);

  // Pan and zoom with the mouse, counting frames: the wheel over the
  // middle, then two drags that start on empty background (a drag that
  // starts on a node moves the node).
  const box = await page.locator('#cy').boundingBox();
  const empty = await page.evaluate(() => {
    const { cy } = window.faultlineGraph;
    const r = cy.renderer();
    const w = cy.width();
    const h = cy.height();
    const pan = cy.pan();
    const z = cy.zoom();
    for (const [fx, fy] of [[0.04, 0.05], [0.04, 0.5], [0.5, 0.05], [0.3, 0.05], [0.04, 0.3], [0.2, 0.2], [0.1, 0.1]]) {
      const x = w * fx;
      const y = h * fy;
      if (!r.findNearestElement((x - pan.x) / z, (y - pan.y) / z, true, false)) return { x, y };
    }
    return { x: w * 0.04, y: h * 0.05 };
  });
  const s = await now(page);
  const tp = Date.now();
  const cx = box.x + box.width / 2;
  const cyy = box.y + box.height / 2;
  await page.mouse.move(cx, cyy);
  for (let k = 0; k < 16; k++) { await page.mouse.wheel(0, k < 8 ? -100 : 100); await page.waitForTimeout(30); }
  const px = box.x + empty.x;
  const py = box.y + empty.y;
  for (const dir of [1, -1]) {
    const x0 = dir > 0 ? px : px + 240;
    const y0 = dir > 0 ? py : py + 120;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let k = 1; k <= 40; k++) await page.mouse.move(x0 + dir * k * 6, y0 + dir * k * 3);
    await page.mouse.up();
  }
  const elapsed = await now(page) - s;
  const pz = await page.evaluate((t) => {
    const gaps = window.__gaps.filter(([st]) => st >= t);
    return { frames: gaps.length, gap: Math.max(0, ...gaps.map(([, d]) => d)), long: Math.max(0, ...window.__long.filter(([st]) => st >= t).map(([, d]) => d)) };
  }, s);
  r.panZoom = { fps: pz.frames / (elapsed / 1000), ms: Date.now() - tp, longest: pz.long, gap: pz.gap };
  r.errors = errors;
  r.load.avg = load();
  results.push(r);

  console.log(`\nrun ${run} (load average ${r.load.avg}${nice !== '' ? `; browser at nice ${nice}` : ''})`);
  console.log(`  open /graph on the hub: ${r.open.nodes} nodes, first painted at ${ms(r.open.firstPaint)} after navigation start, ready after ${ms(r.open.ready)}`);
  console.log(`  expand two hops: first batch painted after ${ms(r.load.firstBatch)}, all ${r.load.nodes} nodes and ${r.load.edges} ties in after ${ms(r.load.all)} (settled ${ms(r.load.settled)})`);
  console.log(`    longest task ${ms(r.load.longest)} (${r.load.longTasks} over 50 ms), after the first batch ${ms(r.load.longestAfterFirst)}; longest frame gap ${ms(r.load.gap)}, after the first batch ${ms(r.load.gapAfterFirst)}`);
  for (const [k, label] of [['predicateOff', `predicate filter off (${pred})`], ['predicateOn', 'predicate filter on'], ['typeOff', 'type filter off (person)'],
    ['typeOn', 'type filter on'], ['slider', `time slider dragged (${r.sliderVisible} ties left)`], ['sliderBack', 'time slider back to all'], ['relayout', 're-layout']]) {
    console.log(`  ${label}: longest task ${ms(r[k].longest)}, longest frame gap ${ms(r[k].gap)}`);
  }
  console.log(`  pan and zoom with the mouse: ${r.panZoom.fps.toFixed(1)} frames/s over ${ms(r.panZoom.ms)}; longest task ${ms(r.panZoom.longest)}, longest frame gap ${ms(r.panZoom.gap)}`);
  if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
  await page.close();
}

await browser.close();
if (runs > 1) {
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const line = (label, get, unit = 'ms') => {
    const xs = results.map(get);
    const f = (x) => (unit === 'ms' ? ms(x) : `${x.toFixed(1)} ${unit}`);
    console.log(`  ${label}: median ${f(med(xs))}, ${unit === 'ms' ? 'worst' : 'lowest'} ${f(unit === 'ms' ? Math.max(...xs) : Math.min(...xs))}`);
  };
  console.log(`\n${runs} runs`);
  line('first batch on screen', (r) => r.load.firstBatch);
  line('all nodes and ties in', (r) => r.load.all);
  line('longest task loading, after the first batch', (r) => r.load.longestAfterFirst);
  for (const k of ['predicateOff', 'predicateOn', 'typeOff', 'typeOn', 'slider', 'sliderBack', 'relayout']) line(`longest task, ${k}`, (r) => r[k].longest);
  line('pan and zoom', (r) => r.panZoom.fps, 'frames/s');
}
if (arg('json')) writeFileSync(arg('json'), JSON.stringify(results, null, 2));
process.exit(results.some((r) => r.errors.length) ? 1 : 0);
