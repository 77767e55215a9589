// The network view: Cytoscape.js over the neighbourhood API. Nodes are
// added incrementally — each new node placed on a ring around the node it
// was reached from, so nothing already drawn moves — and in batches, one
// per animation frame, so that the page stays responsive while thousands
// load. Edges are coloured by predicate, dashed when the tie is hedged
// (alleged or possible) and dotted when denied. Filters hide rather than
// remove, so that they are cheap to toggle.
import cytoscape from 'cytoscape';
import { api, el, debounce } from './common.js';

const PREDICATES = {
  part_of: '#8e44ad', leads: '#34495e', member_of: '#16a085', affiliated_with: '#7f8c8d', allied_with: '#27ae60',
  supports: '#2471a3', hostile_to: '#c0392b', based_in: '#b9770e', active_in: '#e67e22', located_in: '#aab7b8',
};
const SYMMETRIC = new Set(['affiliated_with', 'allied_with', 'hostile_to']);
const TYPES = {
  armed_group: '#c0392b', person: '#2e86c1', country: '#229954', government_body: '#7d3c98', political_party: '#d68910',
  organization: '#5d6d7e', location: '#a04000',
};
const BATCH = 300;
const EDGE_BATCH = 1500;
const LIGHT_EDGES = 2500;

const page = document.getElementById('graph-page');
const status = document.getElementById('graph-status');
const state = {
  expanded: new Set(),
  preds: new Set(Object.keys(PREDICATES)),
  types: new Set(Object.keys(TYPES)),
  year: null,
  pathA: null,
  pathB: null,
  loading: 0,
  light: false,
};

const cy = cytoscape({
  container: document.getElementById('cy'),
  wheelSensitivity: 0.3,
  minZoom: 0.02,
  maxZoom: 4,
  pixelRatio: 1,
  textureOnViewport: true,
  hideEdgesOnViewport: true,
  hideLabelsOnViewport: true,
  style: [
    { selector: 'node', style: {
      'background-color': 'data(color)', label: 'data(name)', 'font-size': 10, 'min-zoomed-font-size': 9,
      width: 'data(size)', height: 'data(size)', color: '#222', 'text-valign': 'bottom', 'text-margin-y': 3,
    } },
    { selector: 'node.center', style: { 'border-width': 3, 'border-color': '#111' } },
    { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#555' } },
    { selector: 'node.pick', style: { 'border-width': 4, 'border-color': '#f1c40f' } },
    { selector: 'edge', style: {
      width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'data(arrow)', 'arrow-scale': 0.8, 'curve-style': 'straight', opacity: 0.8, 'line-style': 'data(line)',
      'line-dash-pattern': [6, 4],
    } },
    { selector: 'edge[line = "dotted"]', style: { 'line-dash-pattern': [1, 4] } },
    { selector: '.hidden', style: { display: 'none' } },
    { selector: '.faded', style: { opacity: 0.12 } },
    { selector: 'edge.path', style: { width: 6, 'line-color': '#f1c40f', 'target-arrow-color': '#f1c40f', opacity: 1, 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#f1c40f', 'z-index': 10 } },
  ],
});
window.faultlineGraph = { cy, state };

const edgeKey = (s, p, o) => `${s}|${p}|${o}`;
const hedged = (m) => m === 'alleged' || m === 'possible';

function nodeData(n) {
  const degree = Math.max(1, n.degree || 1);
  // Size grows with the log of the degree: hubs stand out, leaves stay small.
  const size = Math.round(10 + 12 * Math.log10(degree));
  return { group: 'nodes', data: { id: n.id, name: n.name || n.id, type: n.type, degree, size: Math.min(size, 44), color: TYPES[n.type] || '#999' } };
}

function edgeData(e) {
  return {
    group: 'edges',
    data: {
      id: `e${e.id ?? edgeKey(e.subject, e.predicate, e.object)}`, key: edgeKey(e.subject, e.predicate, e.object),
      source: e.subject, target: e.object, predicate: e.predicate, modality: e.modality, sources: e.sources || 1,
      width: Math.min(5, 1.2 + 0.4 * ((e.sources || 1) - 1)),
      color: PREDICATES[e.predicate] || '#999', arrow: SYMMETRIC.has(e.predicate) ? 'none' : 'triangle',
      line: e.modality === 'denied' ? 'dotted' : hedged(e.modality) ? 'dashed' : 'solid',
      from: e.from || '', to: e.to || '',
    },
  };
}

// place puts new nodes on rings around their parents; parents not drawn
// yet fall back to the viewport's centre.
function place(nodes, parentOf) {
  const counts = new Map();
  const ext = cy.extent();
  const fallback = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
  const positions = {};
  for (const n of nodes) {
    const parent = parentOf(n);
    const k = counts.get(parent) || 0;
    counts.set(parent, k + 1);
    const pn = parent && cy.getElementById(parent);
    const c = pn && pn.nonempty() ? pn.position() : positions[parent] || fallback;
    // A golden-angle spiral: any number of children, evenly spread.
    const angle = k * 2.39996;
    const radius = 70 + 14 * Math.sqrt(k);
    positions[n.id] = { x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) };
  }
  return positions;
}

// add adds a neighbourhood progressively: nodes in BFS order, BATCH per
// animation frame, then the edges between them.
function add(nb, parentHint) {
  const newNodes = nb.nodes.filter((n) => cy.getElementById(n.id).empty());
  const parent = new Map();
  for (const e of nb.edges) {
    for (const [a, b] of [[e.subject, e.object], [e.object, e.subject]]) {
      if (!parent.has(a) && (cy.getElementById(b).nonempty() || b === parentHint)) parent.set(a, b);
    }
  }
  const hop = new Map(nb.nodes.map((n) => [n.id, n.hop]));
  for (const e of nb.edges) {
    const [a, b] = [e.subject, e.object];
    if (!parent.has(a) && hop.get(b) < hop.get(a)) parent.set(a, b);
    if (!parent.has(b) && hop.get(a) < hop.get(b)) parent.set(b, a);
  }
  const total = newNodes.length;
  state.loading++;
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      const batch = newNodes.slice(i, i + BATCH);
      const pos = place(batch, (n) => parent.get(n.id) || parentHint);
      cy.batch(() => {
        cy.add(batch.map((n) => ({ ...nodeData(n), position: pos[n.id] })));
      });
      i += batch.length;
      status.textContent = `loaded ${i} of ${total} new nodes…`;
      if (i < total) {
        requestAnimationFrame(step);
        return;
      }
      // Then the ties, EDGE_BATCH a frame.
      const edges = nb.edges.filter((e) => cy.getElementById(`e${e.id}`).empty());
      lighten(cy.edges().length + edges.length); // before drawing them
      let j = 0;
      const edgeStep = () => {
        const part = edges.slice(j, j + EDGE_BATCH).filter((e) => cy.getElementById(e.subject).nonempty() && cy.getElementById(e.object).nonempty());
        let added;
        cy.batch(() => { added = cy.add(part.map(edgeData)); });
        applyFilters(added);
        j += EDGE_BATCH;
        if (j < edges.length) {
          status.textContent = `loaded ${total} nodes, ${Math.min(j, edges.length)} of ${edges.length} ties…`;
          requestAnimationFrame(edgeStep);
          return;
        }
        state.loading--;
        status.textContent = `${cy.nodes().length} nodes, ${cy.edges().length} ties${nb.truncated ? ' (limit reached: more exist)' : ''}`;
        resolve();
      };
      edgeStep();
    };
    step();
  });
}

// lighten switches to cheaper drawing when the graph is large: straight
// haystack edges without arrows draw many times faster.
function lighten(edges = cy.edges().length) {
  const big = edges > LIGHT_EDGES;
  if (big === state.light) return;
  state.light = big;
  cy.style().selector('edge').style(big
    ? { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none' }
    : { 'curve-style': 'straight', 'target-arrow-shape': 'data(arrow)' }).update();
}

async function expand(id, hops = 1, maxNodes = 400, maxEdges = maxNodes * 4) {
  status.textContent = 'loading…';
  const params = new URLSearchParams({ hops: String(hops), max_nodes: String(maxNodes), max_edges: String(maxEdges) });
  try {
    const nb = await api('GET', `/api/v1/entities/${encodeURIComponent(id)}/neighbourhood?${params}`);
    const first = cy.nodes().empty();
    await add(nb, id);
    state.expanded.add(nb.center.id);
    cy.getElementById(nb.center.id).addClass('expanded');
    if (first) {
      cy.getElementById(nb.center.id).addClass('center');
      // The first neighbourhood in rings by distance: the centre in the
      // middle, its ties around it.
      const hop = new Map(nb.nodes.map((x) => [x.id, x.hop]));
      cy.nodes().layout({ name: 'concentric', animate: false, fit: true, padding: 40, minNodeSpacing: 90,
        concentric: (node) => 10 - (hop.get(node.id()) ?? 5), levelWidth: () => 1 }).run();
      if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(); }
    }
    return nb;
  } catch (e) {
    status.textContent = e.message;
    throw e;
  }
}

function relayout() {
  const n = cy.nodes(':visible').length;
  const opts = n <= 600
    ? { name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 400000, idealEdgeLength: () => 90, nodeOverlap: 20, numIter: 1000, fit: true, padding: 30 }
    : { name: 'concentric', animate: false, fit: true, padding: 30, concentric: (node) => node.degree(), levelWidth: () => 4, minNodeSpacing: 4 };
  cy.elements(':visible').layout(opts).run();
}

function yearOf(d) {
  return d ? parseInt(d.slice(0, 4), 10) : null;
}

// applyFilters hides edges of unchecked predicates or starting after the
// slider's year, and nodes of unchecked types; in eles, or everywhere.
function applyFilters(eles) {
  const all = eles || cy.elements();
  cy.batch(() => {
    // Only what changes: a class toggled on thousands of elements costs
    // a style pass each.
    all.nodes().forEach((n) => {
      const off = !state.types.has(n.data('type'));
      if (off !== n.hasClass('hidden')) n.toggleClass('hidden', off);
    });
    all.edges().forEach((e) => {
      const from = yearOf(e.data('from'));
      const off = !state.preds.has(e.data('predicate')) || (state.year !== null && from !== null && from > state.year);
      if (off !== e.hasClass('hidden')) e.toggleClass('hidden', off);
    });
  });
}

function checkboxes(container, names, colors, set) {
  for (const name of names) {
    const box = el('input', { type: 'checkbox', checked: 'checked', value: name });
    box.addEventListener('change', () => {
      if (box.checked) set.add(name); else set.delete(name);
      applyFilters();
    });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.backgroundColor = colors[name];
    container.append(el('label', { class: 'check' }, box, swatch, name.replace(/_/g, ' ')));
  }
}

function showInfo(node) {
  const info = document.getElementById('node-info');
  const d = node.data();
  const expandBtn = el('button', { type: 'button' }, 'Expand');
  expandBtn.addEventListener('click', () => expand(d.id));
  const a = el('button', { type: 'button' }, 'Set A');
  a.addEventListener('click', () => pick('A', d.id, d.name));
  const b = el('button', { type: 'button' }, 'Set B');
  b.addEventListener('click', () => pick('B', d.id, d.name));
  info.replaceChildren(el('h3', {}, d.name), el('p', {}, `${d.type} · ${node.degree()} ties shown · ${d.degree} in all`),
    el('p', {}, el('a', { href: `/entities/${encodeURIComponent(d.id)}` }, 'Profile'), ' · ', el('a', { href: `/timeline?actor=${encodeURIComponent(d.id)}` }, 'Timeline')),
    el('p', {}, expandBtn, ' ', a, ' ', b));
}

function pick(which, id, name) {
  const key = which === 'A' ? 'pathA' : 'pathB';
  if (state[key]) cy.getElementById(state[key]).removeClass('pick');
  state[key] = id;
  cy.getElementById(id).addClass('pick');
  document.getElementById(which === 'A' ? 'path-a' : 'path-b').textContent = name;
}

function clearPath() {
  cy.elements().removeClass('path faded');
  document.getElementById('path-result').replaceChildren();
  page.dataset.path = '';
}

async function findPath() {
  if (!state.pathA || !state.pathB) {
    status.textContent = 'pick two nodes first (shift-click, or Set A / Set B)';
    return;
  }
  clearPath();
  const list = document.getElementById('path-result');
  try {
    const res = await api('GET', `/api/v1/paths?${new URLSearchParams({ from: state.pathA, to: state.pathB, k: '3' })}`);
    if (!res.paths.length) {
      list.append(el('li', {}, 'no chain of ties within 4 hops'));
      page.dataset.path = 'none';
      return;
    }
    // Draw what the paths need and is not drawn yet.
    const nodes = [];
    const edges = [];
    for (const p of res.paths) {
      for (const h of p.hops) {
        for (const n of [h.from, h.to]) if (cy.getElementById(n.id).empty() && !nodes.some((x) => x.id === n.id)) nodes.push({ ...n, degree: 1, hop: 1 });
        edges.push(h);
      }
    }
    const pos = place(nodes, () => state.pathA);
    cy.add(nodes.map((n) => ({ ...nodeData(n), position: pos[n.id] })));
    const byKey = new Map(cy.edges().map((e) => [e.data('key'), e]));
    for (const h of edges) {
      const k = edgeKey(h.subject, h.predicate, h.object);
      if (!byKey.has(k)) byKey.set(k, cy.add(edgeData({ subject: h.subject, object: h.object, predicate: h.predicate, modality: h.modality, sources: h.sources })));
    }
    cy.elements().addClass('faded');
    res.paths.forEach((p, i) => {
      const li = el('li', {}, `cost ${p.cost}: `);
      p.hops.forEach((h, j) => {
        const e = byKey.get(edgeKey(h.subject, h.predicate, h.object));
        if (i === 0) {
          e.removeClass('faded hidden').addClass('path');
          cy.getElementById(h.from.id).removeClass('faded hidden').addClass('path');
          cy.getElementById(h.to.id).removeClass('faded hidden').addClass('path');
        }
        if (j === 0) li.append(h.from.name);
        li.append(` —${h.predicate} (${h.modality})→ `, h.to.name);
      });
      list.append(li);
    });
    cy.fit(cy.elements('.path'), 60);
    page.dataset.path = 'found';
  } catch (e) {
    list.append(el('li', { class: 'error' }, e.message));
  }
}

function initControls() {
  checkboxes(document.getElementById('pred-filters'), Object.keys(PREDICATES), PREDICATES, state.preds);
  checkboxes(document.getElementById('type-filters'), Object.keys(TYPES), TYPES, state.types);
  const year = document.getElementById('year');
  const out = document.getElementById('year-out');
  year.addEventListener('input', debounce(() => {
    state.year = Number(year.value) >= Number(year.max) ? null : Number(year.value);
    out.textContent = state.year === null ? 'all' : String(state.year);
    applyFilters();
  }, 30));
  document.getElementById('find-path').addEventListener('click', findPath);
  document.getElementById('clear-path').addEventListener('click', clearPath);
  document.getElementById('relayout').addEventListener('click', relayout);
  document.getElementById('expand-all').addEventListener('click', async () => {
    const center = page.dataset.entity || cy.nodes()[0]?.id();
    if (center) await expand(center, 2, 5000, 12000);
  });
  cy.on('tap', 'node', (ev) => {
    const n = ev.target;
    if (ev.originalEvent && ev.originalEvent.shiftKey) {
      pick(state.pathA && !state.pathB ? 'B' : 'A', n.id(), n.data('name'));
      if (state.pathA && state.pathB) findPath();
      return;
    }
    showInfo(n);
  });
  cy.on('dbltap', 'node', (ev) => expand(ev.target.id()));

  // Add an entity by name.
  const q = document.getElementById('graph-q');
  const suggest = document.getElementById('graph-suggest');
  q.addEventListener('input', debounce(async () => {
    const text = q.value.trim();
    if (!text) { suggest.replaceChildren(); return; }
    try {
      const res = await api('GET', `/api/v1/search?${new URLSearchParams({ q: text.endsWith('*') ? text : `${text}*`, limit: '8' })}`);
      suggest.replaceChildren(...res.hits.filter((h) => h.kind === 'entity').map((h) => {
        const b = el('button', { type: 'button' }, h.title);
        b.addEventListener('click', async () => {
          suggest.replaceChildren();
          q.value = '';
          if (!page.dataset.entity) page.dataset.entity = h.entity_id;
          await expand(h.entity_id);
        });
        return el('li', {}, b);
      }));
    } catch (e) {
      suggest.replaceChildren(el('li', { class: 'error' }, e.message));
    }
  }, 150));
  document.getElementById('graph-search').addEventListener('submit', (ev) => ev.preventDefault());
}

initControls();
(async () => {
  if (page.dataset.entity) {
    try {
      await expand(page.dataset.entity);
    } catch {
      // reported in the status line
    }
  } else {
    status.textContent = 'Add an entity to start.';
  }
  page.dataset.state = 'ready';
})();
