// The network view at scale: opens /graph on the best-connected entity of
// a running server (a synth database), loads two hops progressively up to
// 5,000 nodes, and reports how long loading took, the longest main-thread
// task while it ran (the page stays responsive when no task is long), and
// the frame rate while panning and zooming the full graph.
//
//   node web/test/scale.mjs --base http://127.0.0.1:18080 [--shots DIR]
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const base = arg('base', 'http://127.0.0.1:18080');
const shots = arg('shots', 'screenshots/scale');
mkdirSync(shots, { recursive: true });

// The hub: the first node of a two-hop neighbourhood of some entity with
// the highest degree.
const first = await (await fetch(`${base}/api/v1/entities?limit=200`)).json();
let hub = null;
for (const e of first.entities.slice(0, 50)) {
  const nb = await (await fetch(`${base}/api/v1/entities/${e.id}/neighbourhood?hops=1&max_nodes=50`)).json();
  for (const n of nb.nodes) if (!hub || n.degree > hub.degree) hub = n;
}
console.log(`hub: ${hub.name} (${hub.degree} ties)`);

const browser = await chromium.launch({ executablePath: arg('chromium', '/usr/bin/chromium'), headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
});
await page.goto(`${base}/graph?entity=${hub.id}`);
await page.waitForSelector('#graph-page[data-state="ready"]');
await page.evaluate(() => { window.__long = []; });
const t0 = Date.now();
await page.click('#expand-all');
await page.waitForFunction(() => window.faultlineGraph.state.loading === 0 && window.faultlineGraph.cy.nodes().length > 1000, null, { timeout: 120000 });
const loadMs = Date.now() - t0;
const stats = await page.evaluate(() => ({ nodes: window.faultlineGraph.cy.nodes().length, edges: window.faultlineGraph.cy.edges().length, long: window.__long }));
const longest = Math.max(0, ...stats.long);
console.log(`loaded ${stats.nodes} nodes and ${stats.edges} ties in ${loadMs} ms; ${stats.long.length} long tasks, longest ${Math.round(longest)} ms`);
await page.evaluate(() => window.faultlineGraph.cy.fit());
await page.screenshot({ path: join(shots, 'graph-5000.png') });
// Pan and zoom with the mouse for about two seconds, counting frames.
await page.evaluate(() => {
  window.__frames = 0;
  const count = () => { window.__frames++; window.__raf = requestAnimationFrame(count); };
  window.__raf = requestAnimationFrame(count);
});
const box = await page.locator('#cy').boundingBox();
const t1 = Date.now();
await page.mouse.move(box.x + 600, box.y + 400);
for (let k = 0; k < 10; k++) await page.mouse.wheel(0, k < 5 ? -120 : 120);
await page.mouse.down();
for (let k = 0; k < 40; k++) await page.mouse.move(box.x + 600 + k * 5, box.y + 400 + k * 2);
await page.mouse.up();
const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames; });
const fps = frames / ((Date.now() - t1) / 1000);
const long2 = await page.evaluate(() => window.__long);
console.log(`pan and zoom with the mouse: ${fps.toFixed(1)} frames/s; longest task ${Math.round(Math.max(0, ...long2))} ms`);
await browser.close();
