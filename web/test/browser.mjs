// The workbench in a real headless Chromium, driven by playwright-core:
// search → profile → open evidence → graph shows the expected nodes,
// ties coloured by predicate, hedged ones dashed → the predicate and type
// filters and the time slider hide and show what they should → the large
// graph drawing (forced on) paints nodes where they are → path between two
// actors, clicked with that drawing on → timeline → map → reject a claim
// and see it gone after reload; and a hostile document (script tags, onerror
// handlers, javascript: links, HTML entities) ingested through the form
// and shown on every page without anything running. A screenshot of each
// page goes to --shots. Run by server/browser_test.go:
//
//   node web/test/browser.mjs --base http://127.0.0.1:PORT --shots DIR \
//     --chromium /usr/bin/chromium --expect expect.json
//
// expect.json names the entities the run looks for. Exit status 0 when
// every check passes; each failure is printed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const base = arg('base');
const shots = arg('shots', 'screenshots');
const exe = arg('chromium', '/usr/bin/chromium');
const expect = JSON.parse(readFileSync(arg('expect'), 'utf8'));
mkdirSync(shots, { recursive: true });

const failures = [];
const log = (...a) => console.log(...a);
function check(cond, what) {
  if (cond) log(`ok   ${what}`);
  else {
    log(`FAIL ${what}`);
    failures.push(what);
  }
}

const browser = await chromium.launch({
  executablePath: exe,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(20000);

// Anything that runs from a document is a failure: a dialog, a script
// error, a CSP violation, a request leaving this server.
const incidents = [];
page.on('dialog', async (d) => { incidents.push(`dialog: ${d.message()}`); await d.dismiss(); });
page.on('pageerror', (e) => incidents.push(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) incidents.push(`CSP: ${m.text()}`);
});
page.on('request', (r) => {
  const u = new URL(r.url());
  if (u.protocol !== 'data:' && u.origin !== new URL(base).origin) incidents.push(`request left the server: ${r.url()}`);
});
await context.addInitScript(() => {
  window.__xss = undefined;
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp = (window.__csp || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
  });
});

let n = 0;
async function shot(name) {
  n++;
  const file = join(shots, `${String(n).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  log(`shot ${file}`);
}

// safe checks, after every page, that no payload ran.
async function safe(where) {
  const state = await page.evaluate(() => ({ xss: window.__xss, csp: window.__csp || [] }));
  check(state.xss === undefined, `${where}: no injected script ran`);
  check(state.csp.length === 0, `${where}: no CSP violation${state.csp.length ? ` (${state.csp.join('; ')})` : ''}`);
  check(incidents.length === 0, `${where}: no dialog, page error or outside request${incidents.length ? ` (${incidents.join('; ')})` : ''}`);
  incidents.length = 0;
}

async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(false, `${name}: ${e.message.split('\n')[0]}`);
    try { await shot(`${name}-failed`); } catch { /* ignore */ }
  }
}

// 0. A hostile document, ingested through the form.
const hostile = [
  'Hostile test brief <script>window.__xss = "title"</script>',
  '',
  'The Haqqani Network <script>window.__xss = 1; alert(1)</script> supports the Tehrik-e-Taliban Pakistan, according to a report.',
  'An image <img src=x onerror="window.__xss = 2; alert(2)"> and a link <a href="javascript:window.__xss = 3">click me</a>.',
  'A Markdown link [open](javascript:window.__xss=4) and a broken attribute "><svg onload="window.__xss=5"> and entities &lt;script&gt; &amp; &quot;.',
  'Islamic State Khorasan Province attacked Kabul in March 2024 <iframe src="javascript:window.__xss=6"></iframe>.',
].join('\n');
let hostileSource = null;
await step('ingest', async () => {
  await page.goto(`${base}/ingest`);
  await page.fill('textarea[name=text]', hostile);
  await page.fill('input[name=title]', 'Hostile <img src=x onerror="window.__xss=7"> brief');
  await page.fill('input[name=publisher]', '<script>window.__xss=8</script>Evil Press');
  await page.fill('input[name=published]', '2024-05');
  await page.selectOption('select[name=reliability]', 'D');
  await page.selectOption('select[name=tlp]', 'green');
  await shot('ingest-form');
  await Promise.all([page.waitForURL(/\/sources\/\d+/), page.click('.ingest-form button[type=submit]')]);
  hostileSource = page.url();
  const text = await page.textContent('#source-text');
  check(text.includes('<script>window.__xss = 1'), 'hostile text is shown as text, markup and all');
  check(text.includes('&lt;script&gt;'), 'HTML entities are shown as written');
  check(await page.locator('#source-text script, #source-text img, #source-text iframe, #source-text svg').count() === 0, 'no element was made from the document');
  check((await page.textContent('.meta')).includes('<script>window.__xss=8</script>Evil Press'), 'hostile publisher shown as text');
  await shot('hostile-source');
  await safe('hostile source view');
});

// 1. Search, with instant results, then the profile.
let profileURL = '';
await step('search', async () => {
  await page.goto(`${base}/`);
  await page.click('#q');
  await page.keyboard.type(expect.search, { delay: 20 });
  const hit = page.locator('#hits a.hit-title', { hasText: expect.profile });
  await hit.first().waitFor();
  check(page.url().includes('q='), 'instant search updates the address');
  await shot('search');
  await safe('search');
  await Promise.all([page.waitForURL(/\/entities\//), hit.first().click()]);
  profileURL = page.url();
});

await step('profile', async () => {
  check((await page.textContent('h1')).includes(expect.profile), `profile of ${expect.profile}`);
  const ties = await page.locator('table.ties tr.tie').count();
  check(ties > 0, `profile lists ties (${ties})`);
  check(await page.locator('h3.predicate').count() > 0, 'ties grouped by predicate');
  const hedged = await page.locator('table.ties tr.tie.hedged').count();
  if (hedged > 0) {
    const style = await page.locator('table.ties tr.tie.hedged td').first().evaluate((td) => getComputedStyle(td).fontStyle);
    check(style === 'italic', 'hedged ties look different (italic, dashed)');
  }
  await shot('profile');
  await safe('profile');
});

// 2. Open the evidence of a claim: the source view with it highlighted.
await step('evidence', async () => {
  await Promise.all([page.waitForURL(/\/sources\/\d+\?claim=/), page.locator('table.ties a.claim-link').first().click()]);
  const focus = page.locator('#source-text .seg.focus');
  check(await focus.count() > 0, 'the evidence is highlighted in the source');
  check(await focus.first().isVisible(), 'the highlighted evidence is on screen');
  check(await page.locator('#extracted .item.focus').count() > 0, 'the claim is marked in the extracted list');
  check(await page.locator('#extracted .rule code').count() > 0, 'every extracted item names its rule');
  await shot('evidence');
  await safe('source view');
  // Clicking a mention in the list highlights it in the text.
  const item = page.locator('#extracted ol.mentions .item').first();
  await item.click();
  check(await page.locator('#source-text .seg.focus.mention').count() > 0, 'a listed mention lights up in the text');
});

// 3. The network: the expected nodes, then a path between two actors.
await step('graph', async () => {
  await page.goto(`${base}/graph?entity=${encodeURIComponent(expect.graphCenter)}`);
  await page.waitForSelector('#graph-page[data-state="ready"]');
  const names = await page.evaluate(() => window.faultlineGraph.cy.nodes().map((nd) => nd.data('name')));
  for (const want of expect.graphNodes) check(names.includes(want), `graph shows ${want}`);
  const styles = await page.evaluate(() => window.faultlineGraph.cy.edges().map((e) => [e.data('modality'), e.style('line-style')]));
  const hedgedEdges = styles.filter(([m]) => m === 'alleged' || m === 'possible');
  check(hedgedEdges.every(([, s]) => s === 'dashed'), `hedged ties are dashed (${hedgedEdges.length})`);
  const colours = await page.evaluate(() => {
    const byPred = {};
    window.faultlineGraph.cy.edges().forEach((e) => {
      (byPred[e.data('predicate')] = byPred[e.data('predicate')] || new Set()).add(e.style('line-color'));
    });
    return Object.entries(byPred).map(([p, s]) => [p, [...s]]);
  });
  check(colours.every(([, s]) => s.length === 1) && new Set(colours.map(([, s]) => s[0])).size === colours.length,
    `ties are coloured by predicate (${colours.map(([p, s]) => `${p} ${s[0]}`).join(', ')})`);
  await shot('graph');
  await safe('graph');
});

// Filters hide and show a slice a frame; wait for them to settle.
const settled = () => page.waitForFunction(() => window.faultlineGraph.state.restyling === 0 && window.faultlineGraph.state.loading === 0);
const shown = () => page.evaluate(() => {
  const { cy } = window.faultlineGraph;
  return {
    edges: cy.edges().map((e) => [e.data('predicate'), e.data('from'), e.style('display') !== 'none' && e.visible()]),
    nodes: cy.nodes().map((n) => [n.data('type'), n.style('display') !== 'none']),
  };
});

// Bring in, through the search box, an entity with hedged ties and one
// with dated ties (found through the API), so that the dashes and the
// slider have something to show.
await step('more ties', async () => {
  const picks = await page.evaluate(async () => {
    const list = await (await fetch('/api/v1/entities?limit=200')).json();
    const found = {};
    for (const e of list.entities) {
      if (found.hedged && found.dated) break;
      const nb = await (await fetch(`/api/v1/entities/${e.id}/neighbourhood?hops=1&max_nodes=50`)).json();
      if (!found.hedged && nb.edges.some((x) => x.modality === 'alleged' || x.modality === 'possible')) found.hedged = e.name;
      else if (!found.dated && nb.edges.some((x) => x.from && Number(x.from.slice(0, 4)) > 1990)) found.dated = e.name;
    }
    return found;
  });
  for (const name of [picks.hedged, picks.dated].filter(Boolean)) {
    await page.fill('#graph-q', name);
    const sug = page.locator('#graph-suggest button', { hasText: name });
    await sug.first().waitFor();
    await sug.first().click();
    await page.waitForFunction((nm) => window.faultlineGraph.cy.nodes().some((nd) => nd.data('name') === nm && nd.hasClass('expanded')), name);
    await settled();
  }
  const styles = await page.evaluate(() => window.faultlineGraph.cy.edges().map((e) => [e.data('modality'), e.style('line-style')]));
  const hedgedEdges = styles.filter(([m]) => m === 'alleged' || m === 'possible');
  check(picks.hedged === undefined || hedgedEdges.length > 0, `${picks.hedged || 'no entity'} brings hedged ties (${hedgedEdges.length})`);
  check(hedgedEdges.every(([, s]) => s === 'dashed'), `hedged ties are dashed (${hedgedEdges.length})`);
  await shot('graph-more');
  await safe('more ties');
});

await step('filters', async () => {
  await settled();
  const all = await shown();
  const counts = {};
  for (const [p] of all.edges) counts[p] = (counts[p] || 0) + 1;
  const pred = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  await page.click(`#pred-filters input[value="${pred}"]`);
  await settled();
  let now = await shown();
  check(now.edges.every(([p, , vis]) => (p === pred ? !vis : true)) && now.edges.some(([p, , vis]) => p !== pred && vis) === all.edges.some(([p]) => p !== pred),
    `unticking ${pred} hides its ${counts[pred]} ties and no other`);
  await page.click(`#pred-filters input[value="${pred}"]`);
  await settled();
  now = await shown();
  check(now.edges.every(([, , vis]) => vis), `ticking ${pred} again shows every tie`);

  const centre = await page.evaluate(() => window.faultlineGraph.cy.nodes('.center').data('type'));
  const types = [...new Set(all.nodes.map(([t]) => t))].filter((t) => t !== centre);
  if (types.length) {
    await page.click(`#type-filters input[value="${types[0]}"]`);
    await settled();
    now = await shown();
    check(now.nodes.every(([t, vis]) => (t === types[0] ? !vis : vis)), `unticking ${types[0]} hides those nodes and no other`);
    await page.click(`#type-filters input[value="${types[0]}"]`);
    await settled();
    now = await shown();
    check(now.nodes.every(([, vis]) => vis) && now.edges.every(([, , vis]) => vis), `ticking ${types[0]} again shows everything`);
  }

  // The time slider: ties that start after the year go; back to "all", they return.
  // The earliest year a tie starts in: at the year before it, that tie
  // and any later are hidden.
  const years = all.edges.map(([, from]) => (from ? Number(from.slice(0, 4)) : null)).filter((y) => y !== null);
  const min = Number(await page.getAttribute('#year', 'min'));
  const year = years.length ? Math.max(min, Math.min(...years) - 1) : min;
  await page.evaluate((y) => {
    const s = document.getElementById('year');
    s.value = String(y);
    s.dispatchEvent(new Event('input', { bubbles: true }));
  }, year);
  await settled();
  now = await shown();
  check((await page.textContent('#year-out')).trim() === String(year), `the slider shows ${year}`);
  const later = now.edges.filter(([, from]) => from && Number(from.slice(0, 4)) > year).length;
  check(years.length === 0 || later > 0, `some ties start after ${year} (${later})`);
  check(now.edges.every(([, from, vis]) => vis === !(from && Number(from.slice(0, 4)) > year)),
    `the slider at ${year} hides the ${later} ties that start later, and only those`);
  await shot('graph-slider');
  await page.evaluate(() => {
    const s = document.getElementById('year');
    s.value = s.max;
    s.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settled();
  now = await shown();
  check(now.edges.every(([, , vis]) => vis) && (await page.textContent('#year-out')).trim() === 'all', 'the slider back at the end shows every tie');
  await safe('filters');
});

// Large graphs draw through graph-draw.js (one path per colour): force it
// on this small one, check that a node is painted in its colour where it
// is, and leave it on for the path below, whose clicks then go through
// its hit-testing.
await step('batched drawing', async () => {
  const probe = await page.evaluate(async () => {
    const { cy, state } = window.faultlineGraph;
    state.fast = true;
    const node = cy.nodes('.center');
    cy.center(node);
    cy.zoom({ level: 1, renderedPosition: node.renderedPosition() });
    const r = cy.renderer();
    r.redrawHint('eles', true);
    r.redraw();
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const canvas = r.data.canvases[r.NODE];
    const p = node.renderedPosition();
    const px = canvas.getContext('2d').getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data;
    return { px: [...px], want: node.style('background-color') };
  });
  const want = probe.want.match(/\d+/g).map(Number);
  check(probe.px[3] > 200 && want.every((v, i) => Math.abs(v - probe.px[i]) < 40),
    `batched drawing paints the centre node in its colour (${probe.px.slice(0, 3)} for ${probe.want})`);
  // The same, from the picture the drawing worker paints (OffscreenCanvas).
  await page.waitForFunction(() => window.faultlineGraph.drawing.pictures > 0, null, { timeout: 10000 });
  const again = await page.evaluate(async () => {
    const { cy } = window.faultlineGraph;
    const r = cy.renderer();
    r.redrawHint('eles', true);
    r.redraw();
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    const p = cy.nodes('.center').renderedPosition();
    return [...r.data.canvases[r.NODE].getContext('2d').getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data];
  });
  check(again[3] > 200 && want.every((v, i) => Math.abs(v - again[i]) < 40),
    `the drawing worker's picture shows it there too (${again.slice(0, 3)})`);
  await shot('graph-batched');
  await safe('batched drawing');
});

await step('path', async () => {
  // Add the second actor by name, then shift-click both.
  await page.fill('#graph-q', expect.pathTo);
  const sug = page.locator('#graph-suggest button', { hasText: expect.pathToName });
  await sug.first().waitFor();
  await sug.first().click();
  await page.waitForFunction((name) => window.faultlineGraph.cy.nodes().some((nd) => nd.data('name') === name && nd.hasClass('expanded')), expect.pathToName);
  await page.waitForFunction(() => window.faultlineGraph.state.loading === 0);
  const box = await page.locator('#cy').boundingBox();
  const clickNode = async (name) => {
    await page.evaluate((nm) => {
      const cy = window.faultlineGraph.cy;
      const nd = cy.nodes().filter((x) => x.data('name') === nm)[0];
      cy.center(nd);
    }, name);
    const pos = await page.evaluate((nm) => {
      const nd = window.faultlineGraph.cy.nodes().filter((x) => x.data('name') === nm)[0];
      return nd.renderedPosition();
    }, name);
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    await page.keyboard.up('Shift');
  };
  await clickNode(expect.pathFromName);
  await clickNode(expect.pathToName);
  await page.waitForSelector('#graph-page[data-path="found"]');
  const hops = await page.evaluate(() => window.faultlineGraph.cy.edges('.path').length);
  check(hops >= 1, `a path between ${expect.pathFromName} and ${expect.pathToName} is drawn (${hops} ties)`);
  check(await page.locator('#path-result li').count() > 0, 'the paths are listed');
  await shot('path');
  await safe('path');
});

// 4. The timeline: precision shown, a month-precision event as a bar over
// the month.
await step('timeline', async () => {
  await page.goto(`${base}/timeline`);
  const rows = await page.locator('svg.timeline g.event').count();
  check(rows > 0, `timeline shows events (${rows})`);
  const widths = await page.evaluate(() => {
    const w = (p) => [...document.querySelectorAll(`svg.timeline g.event[data-precision="${p}"] rect`)].map((r) => r.width.baseVal.value);
    return { day: w('day'), month: w('month'), year: w('year') };
  });
  check(widths.month.length > 0, `month-precision events are present (${widths.month.length})`);
  if (widths.day.length && widths.month.length) {
    check(Math.min(...widths.month) > 5 * Math.max(...widths.day), 'a month-precision event is a bar over the month, wider than a day');
  }
  if (widths.year.length && widths.month.length) {
    check(Math.min(...widths.year) > 5 * Math.max(...widths.month), 'a year-precision bar covers the year');
  }
  await shot('timeline');
  await safe('timeline');
});

// 5. The map, on the offline basemap.
await step('map', async () => {
  await page.goto(`${base}/map`);
  const circles = await page.locator('svg.map circle').count();
  check(circles > 0, `map shows places (${circles})`);
  const basemap = await page.evaluate(async () => {
    const r = await fetch('/static/basemap.svg');
    const t = await r.text();
    return { ok: r.ok, size: t.length, ne: t.includes('Natural Earth') };
  });
  check(basemap.ok && basemap.size > 100000 && basemap.ne, 'the basemap is served from this server (Natural Earth)');
  await page.mouse.move(700, 500);
  await page.mouse.wheel(0, -300);
  await shot('map');
  await safe('map');
});

// 6. Review: reject a claim with the keyboard; after a reload it is gone
// from the queue and from its entity's profile.
await step('review', async () => {
  await page.goto(`${base}/review`);
  const first = page.locator('#queue .qitem').first();
  await first.waitFor();
  const claim = await first.getAttribute('data-claim');
  const label = await first.locator('.qlabel').textContent();
  await shot('review');
  await page.keyboard.press('r');
  await page.waitForFunction((id) => document.querySelector(`.qitem[data-claim="${id}"] .status`).textContent === 'rejected', claim);
  check(true, `rejected “${label}” with the r key`);
  await page.reload();
  check(await page.locator(`#queue .qitem[data-claim="${claim}"]`).count() === 0, 'the rejected claim is gone from the queue after a reload');
  const detail = await page.evaluate(async (id) => (await fetch(`/api/v1/claims/${id}`)).json(), claim);
  check(detail.status === 'rejected', 'the claim is stored as rejected');
  const subject = detail.subject || (detail.participants && detail.participants[0] && detail.participants[0].entity);
  if (subject) {
    await page.goto(`${base}/entities/${subject}`);
    check(await page.locator(`a[href="/claims/${claim}"]`).count() === 0, 'the rejected claim no longer supports anything on the profile');
    await shot('after-reject');
  }
  await safe('review');
  // Undo: press u after rejecting the next one.
  await page.goto(`${base}/review`);
  const next = await page.locator('#queue .qitem').first().getAttribute('data-claim');
  await page.keyboard.press('a');
  await page.waitForFunction((id) => document.querySelector(`.qitem[data-claim="${id}"] .status`).textContent === 'accepted', next);
  await page.keyboard.press('u');
  await page.waitForFunction((id) => document.querySelector(`.qitem[data-claim="${id}"] .status`).textContent === 'machine', next);
  check(true, 'u undoes the last decision');
});

// 7. Every other page with the hostile document in the database.
await step('hostile pages', async () => {
  for (const path of ['/?q=script', '/?q=Haqqani', '/sources', hostileSource, profileURL, '/timeline', '/map', '/review', '/review?status=rejected', '/graph', `/graph?entity=${encodeURIComponent(expect.graphCenter)}`, '/ingest']) {
    if (!path) continue;
    await page.goto(path.startsWith('http') ? path : `${base}${path}`);
    await page.waitForLoadState('load');
    if (path.startsWith('/graph?')) await page.waitForSelector('#graph-page[data-state="ready"]');
    await safe(`hostile: ${path.replace(base, '')}`);
  }
  // Instant search over the hostile text renders it as text.
  await page.goto(`${base}/`);
  await page.fill('#q', 'onerror');
  await page.waitForSelector('#hits .hit');
  check(await page.locator('#hits img, #hits script').count() === 0, 'instant search shows hostile snippets as text');
  await shot('hostile-search');
  await safe('hostile: instant search');
});

await browser.close();
log(failures.length ? `${failures.length} checks failed` : 'all browser checks passed');
process.exit(failures.length ? 1 : 0);
