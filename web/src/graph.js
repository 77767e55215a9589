// The network view: Cytoscape.js over the neighbourhood API, kept
// responsive at thousands of nodes.
//
// - Loading is progressive: a neighbourhood's nodes go in in BFS order,
//   then its ties, a slice an animation frame (a small first slice, so
//   that something is on screen at once, then as many as the frame's
//   budget allows, 16–50 ms), each new node placed on a spiral around
//   the node it was reached from, so that nothing already drawn moves
//   (the first neighbourhood in rings around its centre, placed as it is
//   added).
// - Layout is incremental and off the main thread: after an expansion a
//   force layout (layout-worker.js, a Web Worker) places the new nodes
//   among the fixed old ones, and Re-layout moves them all; positions
//   come back a few times a second and are applied a slice a frame.
// - Filters (predicate, type, the time slider) and the faded look of a
//   found path hide rather than remove: each element's wanted classes are
//   reconciled with the ones it has, again a slice a frame, so a change
//   that touches thousands of elements never freezes the page; the
//   slider may move on while that runs, and the job aims at its latest
//   value.
// - Large graphs draw through graph-draw.js (one path per colour rather
//   than one per element, painted in a worker where OffscreenCanvas is)
//   and, past LIGHT_EDGES ties, as haystack ties without arrowheads.
//
// Edges are coloured by predicate, dashed when the tie is hedged (alleged
// or possible) and dotted when denied.
import cytoscape from 'cytoscape';
import { api, el, debounce } from './common.js';
import { install as installFastDraw, prepare } from './graph-draw.js';

const PREDICATES = {
  part_of: '#8e44ad', leads: '#34495e', member_of: '#16a085', affiliated_with: '#7f8c8d', allied_with: '#27ae60',
  supports: '#2471a3', hostile_to: '#c0392b', based_in: '#b9770e', active_in: '#e67e22', located_in: '#aab7b8',
};
const SYMMETRIC = new Set(['affiliated_with', 'allied_with', 'hostile_to']);
const TYPES = {
  armed_group: '#c0392b', person: '#2e86c1', country: '#229954', government_body: '#7d3c98', political_party: '#d68910',
  organization: '#5d6d7e', location: '#a04000',
};
const LIGHT_EDGES = 2500; // more ties than this: haystack ties, no arrowheads
const FAST_ELEMENTS = 800; // more elements than this: batched drawing
const BUDGET = 16; // ms of element work a frame, at least: adding, restyling, moving
const FIRST_SLICE = 200; // nodes in a load's first slice, on screen at once
const TIE_LENGTH = 80; // the force layout's ideal tie length

const page = document.getElementById('graph-page');
const status = document.getElementById('graph-status');
const state = {
  expanded: new Set(),
  preds: new Set(Object.keys(PREDICATES)),
  types: new Set(Object.keys(TYPES)),
  year: null,
  pathA: null,
  pathB: null,
  path: null, // ids on the path shown, or null
  loading: 0, // loads and layouts under way
  adding: 0, // loads still adding elements
  layout: 0, // layouts under way
  restyling: 0, // class reconciliations under way
  light: false,
  fast: null, // batched drawing: null decides by size; true or false forces it (the browser test does)
  painted: 0,
};
// index: what is drawn, as plain records, so that filters and layouts
// need not query cytoscape. Node: { ele, type, off, faded, deg (ties
// drawn) }; edge:
// { ele, s, t, pred, year, off, faded, light } (off: hidden by a filter;
// light: drawn in the large-graph style).
const index = { nodes: new Map(), edges: new Map(), byKey: new Map() };

const cy = cytoscape({
  container: document.getElementById('cy'),
  wheelSensitivity: 0.3,
  minZoom: 0.02,
  maxZoom: 4,
  pixelRatio: 1,
  textureOnViewport: false, // large graphs: graph-draw.js moves the worker's last picture instead
  hideEdgesOnViewport: false,
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
    { selector: 'edge.light', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none' } },
    { selector: '.hidden', style: { display: 'none' } },
    { selector: '.faded', style: { opacity: 0.12 } },
    { selector: 'edge.path', style: { width: 6, 'line-color': '#f1c40f', 'target-arrow-color': '#f1c40f', opacity: 1, 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#f1c40f', 'z-index': 10 } },
  ],
});
const fast = () => (state.fast === null ? state.light || index.nodes.size + index.edges.size > FAST_ELEMENTS : state.fast);
// state.painted: how many nodes the picture on screen shows; the event
// painted says it changed (the benchmark times loads by it).
const painted = (n) => {
  state.painted = n;
  cy.emit('painted');
};
const drawing = installFastDraw(cy, { enabled: fast, workerURL: '/static/draw-worker.js', onPainted: painted }) || { moved() {}, pictures: 0 };
cy.on('render', () => { if (!fast()) painted(cy.nodes().length); });
window.faultlineGraph = { cy, state, index, drawing, fit: () => fitNodes([...index.nodes.values()].filter((r) => !r.off).map((r) => r.ele), 20) };

const edgeKey = (s, p, o) => `${s}|${p}|${o}`;
const hedged = (m) => m === 'alleged' || m === 'possible';
const yearOf = (d) => (d ? parseInt(d.slice(0, 4), 10) : null);

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

// The classes an element should have, from the filters and the path.
const onPath = (id) => state.path !== null && state.path.has(id);
const nodeOff = (id, type) => !onPath(id) && !state.types.has(type);
const edgeOff = (id, pred, year) => !onPath(id) && (!state.preds.has(pred) || (state.year !== null && year !== null && year > state.year));
const fadedNow = (id) => state.path !== null && !state.path.has(id);
const classesOf = (off, faded, light = false) => [off && 'hidden', faded && 'faded', light && 'light'].filter(Boolean).join(' ');

// addNodes and addEdges add elements with their classes already right
// (no second style pass) and record them in the index.
function addNodes(list) {
  const json = list.map(({ n, position }) => {
    const off = nodeOff(n.id, n.type);
    const faded = fadedNow(n.id);
    return { ...nodeData(n), position, classes: classesOf(off, faded) };
  });
  const added = cy.add(json);
  added.forEach((ele) => {
    index.nodes.set(ele.id(), { ele, type: ele.data('type'), off: ele.hasClass('hidden'), faded: ele.hasClass('faded'), deg: 0 });
  });
  return added;
}

function addEdges(list) {
  const json = list.map((e) => {
    const d = edgeData(e);
    const off = edgeOff(d.data.id, e.predicate, yearOf(e.from));
    return { ...d, classes: classesOf(off, fadedNow(d.data.id), state.light) };
  });
  const added = cy.add(json);
  added.forEach((ele) => {
    const d = ele.data();
    index.edges.set(d.id, { ele, s: d.source, t: d.target, pred: d.predicate, year: yearOf(d.from), off: ele.hasClass('hidden'), faded: ele.hasClass('faded'), light: ele.hasClass('light') });
    index.byKey.set(d.key, ele);
    for (const end of [d.source, d.target]) {
      const n = index.nodes.get(end);
      if (n) n.deg++;
    }
  });
  return added;
}

// ---- The frame loop: queued jobs run a slice each animation frame, for
// at most a budget together, and cytoscape draws between slices. What a
// slice changes would cost again when next drawn (cytoscape recomputes
// the style and geometry of what changed first), so each slice has that
// done at once, inside its own time (flush), and learns from it how many
// elements fit in the budget.
const jobs = [];
let pumping = false;

function enqueue(job) {
  jobs.push(job);
  if (!pumping) {
    pumping = true;
    requestAnimationFrame(pump);
  }
  return job;
}

function cancel(job) {
  const i = jobs.indexOf(job);
  if (i >= 0) jobs.splice(i, 1);
}

// The budget grows with the time the rest of a frame takes (mostly
// drawing), up to MAX_BUDGET: when a frame costs 60 ms anyway, 16 ms of
// work a frame would stretch a load for no gain in smoothness.
const MAX_BUDGET = 50;
let lastStart = 0;
let lastWork = 0;

function pump() {
  const start = performance.now();
  const rest = lastStart ? start - lastStart - lastWork : 0;
  const deadline = start + Math.min(MAX_BUDGET, Math.max(BUDGET, rest));
  for (let i = 0; i < jobs.length && performance.now() < deadline;) {
    const job = jobs[i];
    if (job.step(deadline)) {
      jobs.splice(i, 1);
      job.done();
    } else {
      i++;
    }
  }
  lastWork = performance.now() - start;
  lastStart = start;
  if (jobs.length) {
    requestAnimationFrame(pump);
  } else {
    pumping = false;
    lastStart = 0;
  }
}

// flush has cytoscape bring the style and geometry of changed elements up
// to date now rather than before the next frame is drawn.
const renderer = cy.renderer();
const flush = typeof renderer.flushRenderedStyleQueue === 'function' ? () => renderer.flushRenderedStyleQueue() : () => {};

// slicer applies fn to items a slice at a time, inside cy.batch, sizing
// each slice from the time the last ones of the same kind took, flush
// included. step(deadline) is true once every item is done.
const perItem = new Map(); // kind → ms an item (or a unit of weight), learnt; 0.5 to start with

function slicer(kind, items, fn, { first = 0, after = null, weight = null } = {}) {
  let i = 0;
  return {
    get done() { return i; },
    step(deadline) {
      while (i < items.length) {
        // Half the time left, so that a slice that costs more than its
        // estimate still ends near the deadline.
        const room = (deadline - performance.now()) / 2;
        if (room <= 1) return false;
        const rate = perItem.get(kind) || 0.5;
        let end;
        if (weight) {
          // As many items as their weights (what they cost, relatively) allow.
          let w = 0;
          end = i;
          while (end < items.length && (end === i || (w + weight(items[end])) * rate <= room)) w += weight(items[end++]);
          if (first && i === 0) end = Math.min(end, first);
        } else {
          let n = Math.max(20, Math.floor(room / rate));
          if (first && i === 0) n = Math.min(n, first);
          end = Math.min(items.length, i + n);
        }
        const t = performance.now();
        const part = items.slice(i, end);
        cy.batch(() => fn(part));
        if (after) after(part);
        flush();
        let units = part.length;
        if (weight) {
          units = 0;
          for (const x of part) units += weight(x);
        }
        // Up at once, down slowly: a slice that overran says more than
        // one that did not.
        const took = Math.max(0.002, (performance.now() - t) / units);
        perItem.set(kind, took > rate ? took : 0.7 * rate + 0.3 * took);
        i = end;
        if (first && i === Math.min(first, items.length) && i < items.length) return false; // draw the first slice alone
      }
      return true;
    },
  };
}

// clean brings the style of changed elements, and what the batched
// drawing needs of it, up to date now, inside the slice that changed them
// and is timed, rather than when they are next drawn. Takes records or
// elements.
function clean(part) {
  const eles = part.map((x) => x.ele || x);
  for (const ele of eles) ele.pstyle('display');
  if (fast()) prepare(eles);
}

// placer puts new nodes on spirals around their parents; parents not
// drawn yet fall back to the viewport's centre.
function placer(parentOf) {
  const counts = new Map();
  const placed = new Map();
  return (n) => {
    const parent = parentOf(n);
    const k = counts.get(parent) || 0;
    counts.set(parent, k + 1);
    const rec = parent && index.nodes.get(parent);
    let c = rec ? rec.ele.position() : placed.get(parent);
    if (!c) {
      const ext = cy.extent();
      c = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    }
    // A golden-angle spiral: any number of children, evenly spread.
    const angle = k * 2.39996;
    const radius = 70 + 14 * Math.sqrt(k);
    const p = { x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) };
    placed.set(n.id, p);
    return p;
  };
}

// rings places a first neighbourhood in rings by distance, as a
// concentric layout would, the centre in the middle and its ties around
// it, so that it is drawn where it stays: no layout pass afterwards.
function rings(nb) {
  const levels = new Map();
  for (const n of nb.nodes) {
    const h = n.id === nb.center.id ? 0 : Math.max(1, n.hop || 1);
    if (!levels.has(h)) levels.set(h, []);
    levels.get(h).push(n);
  }
  const pos = new Map();
  const spacing = 90 + 44; // the least distance between two nodes, and the largest node
  let radius = 0;
  for (const h of [...levels.keys()].sort((a, b) => a - b)) {
    const level = levels.get(h);
    if (h > 0) radius = Math.max(radius + spacing, (level.length * spacing) / (2 * Math.PI));
    level.forEach((n, k) => {
      const a = (2 * Math.PI * k) / level.length - Math.PI / 2;
      pos.set(n.id, level.length === 1 && h === 0 ? { x: 0, y: 0 } : { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  }
  return pos;
}

// add adds a neighbourhood progressively: its nodes in BFS order, then the
// ties among what is drawn, at the positions given (a Map) or each near the
// node it was reached from. It resolves to the nodes it added.
function add(nb, parentHint, positions = null) {
  const newNodes = nb.nodes.filter((n) => !index.nodes.has(n.id));
  const parent = new Map();
  for (const e of nb.edges) {
    for (const [a, b] of [[e.subject, e.object], [e.object, e.subject]]) {
      if (!parent.has(a) && (index.nodes.has(b) || b === parentHint)) parent.set(a, b);
    }
  }
  const hop = new Map(nb.nodes.map((n) => [n.id, n.hop]));
  for (const e of nb.edges) {
    const [a, b] = [e.subject, e.object];
    if (!parent.has(a) && hop.get(b) < hop.get(a)) parent.set(a, b);
    if (!parent.has(b) && hop.get(a) < hop.get(b)) parent.set(b, a);
  }
  const spiral = placer((n) => parent.get(n.id) || parentHint);
  const place = positions ? (n) => positions.get(n.id) || spiral(n) : spiral;
  if (positions) fitBox([...positions.values()], 40);
  const total = newNodes.length;
  let added = cy.collection();
  state.loading++;
  state.adding++;
  return new Promise((resolve) => {
    const nodes = slicer('add nodes', newNodes, (part) => {
      added = added.union(addNodes(part.map((n) => ({ n, position: place(n) }))));
      status.textContent = `loaded ${added.length} of ${total} new nodes…`;
    }, { first: FIRST_SLICE, after: (part) => clean(part.map((n) => index.nodes.get(n.id))) });
    let edges = null;
    let edgeList = null;
    enqueue({
      step(deadline) {
        if (!nodes.step(deadline)) return false;
        if (!edges) {
          // The large-graph style before the ties go in: new ties get it
          // as they are added, the others a slice a frame.
          lighten(index.edges.size + nb.edges.length);
          edgeList = nb.edges.filter((e) => !index.edges.has(`e${e.id}`) && !index.byKey.has(edgeKey(e.subject, e.predicate, e.object))
            && index.nodes.has(e.subject) && index.nodes.has(e.object));
          edges = slicer('add ties', edgeList, (part) => {
            addEdges(part);
            status.textContent = `loaded ${total} nodes, ${edges.done + part.length} of ${edgeList.length} ties…`;
          }, {
            after: (part) => clean(part.map((e) => index.edges.get(`e${e.id}`)).filter(Boolean)),
            // Adding a tie costs more at a hub (cytoscape looks through the
            // ties of its ends).
            weight: (e) => 1 + ((index.nodes.get(e.subject)?.deg || 0) + (index.nodes.get(e.object)?.deg || 0)) / 200,
          });
        }
        return edges.step(deadline);
      },
      done() {
        state.adding--;
        state.loading--;
        status.textContent = `${index.nodes.size} nodes, ${index.edges.size} ties${nb.truncated ? ' (limit reached: more exist)' : ''}`;
        resolve(added);
      },
    });
  });
}

// lighten switches to cheaper drawing when the graph is large: straight
// haystack ties without arrowheads (the class light, given to new ties at
// once and to the others a slice a frame).
function lighten(edges = index.edges.size) {
  const big = edges > LIGHT_EDGES;
  if (big === state.light) return;
  state.light = big;
  restyle();
}

async function expand(id, hops = 1, maxNodes = 400, maxEdges = maxNodes * 4) {
  status.textContent = 'loading…';
  const params = new URLSearchParams({ hops: String(hops), max_nodes: String(maxNodes), max_edges: String(maxEdges) });
  try {
    const nb = await api('GET', `/api/v1/entities/${encodeURIComponent(id)}/neighbourhood?${params}`);
    const first = index.nodes.size === 0;
    const added = await add(nb, id, first ? rings(nb) : null);
    state.expanded.add(nb.center.id);
    const center = index.nodes.get(nb.center.id);
    if (center) center.ele.addClass(first ? 'expanded center' : 'expanded');
    if (!first && added.length > 1) {
      // Only the new nodes move, among the old ones.
      await layout(new Set(added.map((n) => n.id())));
    }
    return nb;
  } catch (e) {
    status.textContent = e.message;
    throw e;
  }
}

// fitNodes fits the viewport to nodes from their positions and sizes:
// cy.fit would ask every tie for its bounding box too.
function fitNodes(nodes, padding) {
  fitBox(nodes.map((ele) => ele.position()), padding, 22);
}

// fitBox fits the viewport to points, each r units in size; never closer
// than 1.6.
function fitBox(points, padding, r = 22) {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x - r); x2 = Math.max(x2, p.x + r);
    y1 = Math.min(y1, p.y - r); y2 = Math.max(y2, p.y + r);
  }
  if (!(x2 >= x1)) return;
  const w = cy.width() - 2 * padding;
  const h = cy.height() - 2 * padding;
  const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), 1.6, w / Math.max(1, x2 - x1), h / Math.max(1, y2 - y1)));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (x1 + x2) / 2, y: cy.height() / 2 - zoom * (y1 + y2) / 2 } });
}

// ---- Layout, in a worker.
let worker;
let layoutRun = 0;
let cancelLayout = null;

function layoutWorker() {
  if (worker === undefined) {
    try {
      worker = new Worker('/static/layout-worker.js');
    } catch {
      worker = null; // no workers: new nodes stay on their spirals
    }
  }
  return worker;
}

// layout runs the force layout over the nodes not filtered out, moving
// those in movable (all when null) and applying positions as they come.
function layout(movable, { fit = false } = {}) {
  const w = layoutWorker();
  if (!w) return Promise.resolve();
  if (cancelLayout) cancelLayout();
  const run = ++layoutRun;
  const nodes = [];
  const at = new Map();
  for (const [id, rec] of index.nodes) {
    if (rec.off) continue;
    at.set(id, nodes.length);
    nodes.push(rec.ele);
  }
  const n = nodes.length;
  const degs = nodes.map((ele) => index.nodes.get(ele.id()).deg);
  const pos = new Float64Array(2 * n);
  const fixed = new Uint8Array(n);
  const moving = [];
  nodes.forEach((ele, i) => {
    const p = ele.position();
    pos[2 * i] = p.x;
    pos[2 * i + 1] = p.y;
    if (movable && !movable.has(ele.id())) fixed[i] = 1;
    else moving.push(i);
  });
  const pairs = [];
  for (const rec of index.edges.values()) {
    if (rec.off) continue;
    const a = at.get(rec.s);
    const b = at.get(rec.t);
    if (a !== undefined && b !== undefined) pairs.push(a, b);
  }
  const edges = Uint32Array.from(pairs);
  state.loading++;
  state.layout++;
  status.textContent = `laying out ${moving.length} nodes…`;
  return new Promise((resolve) => {
    let pending = null;
    let applying = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (cancelLayout === stop) cancelLayout = null;
      state.loading--;
      state.layout--;
      resolve();
    };
    const stop = () => {
      if (applying) cancel(applying);
      finish();
    };
    cancelLayout = stop;
    const apply = () => {
      const msg = pending;
      pending = null;
      const move = slicer('move', moving, (part) => {
        for (const i of part) nodes[i].position({ x: msg.pos[2 * i], y: msg.pos[2 * i + 1] });
        drawing.moved();
      }, { weight: (i) => 1 + degs[i] / 10 }); // moving a hub marks each of its ties
      applying = enqueue({
        step: (deadline) => move.step(deadline),
        done() {
          applying = null;
          if (finished) return;
          if (pending) {
            apply();
          } else if (msg.done) {
            if (fit) fitNodes(nodes, 30);
            status.textContent = `${index.nodes.size} nodes, ${index.edges.size} ties`;
            finish();
          }
        },
      });
    };
    w.onmessage = (ev) => {
      if (ev.data.run !== run || finished) return;
      pending = ev.data;
      if (!applying) apply();
    };
    w.onerror = () => finish();
    const iterations = n > 2000 ? 200 : 300;
    w.postMessage({ run, n, pos, fixed, edges, k: TIE_LENGTH, iterations, temperature: movable ? TIE_LENGTH * 3 : TIE_LENGTH * 10 },
      [pos.buffer, fixed.buffer, edges.buffer]);
  });
}

// ---- Classes: filters and the path's fading, reconciled a slice a frame.
let restyleJob = null;
let restyleWaiters = [];

function restyle() {
  const p = new Promise((resolve) => restyleWaiters.push(resolve));
  if (restyleJob) {
    restyleJob.dirty = true;
    return p;
  }
  state.restyling++;
  let changes = null;
  restyleJob = enqueue({
    dirty: true,
    step(deadline) {
      for (;;) {
        if (this.dirty) {
          // What differs from what is wanted now.
          this.dirty = false;
          const list = [];
          for (const [id, r] of index.nodes) {
            if (r.off !== nodeOff(id, r.type) || r.faded !== fadedNow(id)) list.push(r);
          }
          for (const [id, r] of index.edges) {
            if (r.off !== edgeOff(id, r.pred, r.year) || r.faded !== fadedNow(id) || r.light !== state.light) list.push(r);
          }
          changes = slicer('restyle', list, (part) => {
            for (const r of part) {
              const id = r.ele.id();
              const off = r.s === undefined ? nodeOff(id, r.type) : edgeOff(id, r.pred, r.year);
              const faded = fadedNow(id);
              if (off !== r.off) r.ele.toggleClass('hidden', off);
              if (faded !== r.faded) r.ele.toggleClass('faded', faded);
              r.off = off;
              r.faded = faded;
              if (r.s !== undefined && r.light !== state.light) {
                r.ele.toggleClass('light', state.light);
                r.light = state.light;
              }
            }
          }, { after: clean });
        }
        if (!changes.step(deadline)) return false;
        if (!this.dirty) return true;
        if (performance.now() >= deadline) return false;
      }
    },
    done() {
      restyleJob = null;
      state.restyling--;
      const waiters = restyleWaiters;
      restyleWaiters = [];
      waiters.forEach((f) => f());
    },
  });
  return p;
}

function checkboxes(container, names, colors, set) {
  for (const name of names) {
    const box = el('input', { type: 'checkbox', checked: 'checked', value: name });
    box.addEventListener('change', () => {
      if (box.checked) set.add(name); else set.delete(name);
      restyle();
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

let pathEles = null;

function clearPath() {
  if (pathEles) pathEles.removeClass('path');
  pathEles = null;
  document.getElementById('path-result').replaceChildren();
  page.dataset.path = '';
  if (state.path !== null) {
    state.path = null;
    return restyle();
  }
  return Promise.resolve();
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
    const nodes = new Map();
    const edges = [];
    for (const p of res.paths) {
      for (const h of p.hops) {
        for (const n of [h.from, h.to]) if (!index.nodes.has(n.id) && !nodes.has(n.id)) nodes.set(n.id, { ...n, degree: 1, hop: 1 });
        edges.push(h);
      }
    }
    const place = placer(() => state.pathA);
    cy.batch(() => {
      addNodes([...nodes.values()].map((n) => ({ n, position: place(n) })));
      const missing = new Map();
      for (const h of edges) {
        const k = edgeKey(h.subject, h.predicate, h.object);
        if (!index.byKey.has(k) && !missing.has(k)) missing.set(k, { subject: h.subject, object: h.object, predicate: h.predicate, modality: h.modality, sources: h.sources });
      }
      addEdges([...missing.values()]);
    });
    // The first path lit, everything else faded.
    const on = new Set();
    let lit = cy.collection();
    res.paths.forEach((p, i) => {
      const li = el('li', {}, `cost ${p.cost}: `);
      p.hops.forEach((h, j) => {
        const e = index.byKey.get(edgeKey(h.subject, h.predicate, h.object));
        if (i === 0) {
          for (const x of [e, index.nodes.get(h.from.id).ele, index.nodes.get(h.to.id).ele]) {
            on.add(x.id());
            lit = lit.union(x);
          }
        }
        if (j === 0) li.append(h.from.name);
        li.append(` —${h.predicate} (${h.modality})→ `, h.to.name);
      });
      list.append(li);
    });
    pathEles = lit;
    state.path = on;
    lit.addClass('path');
    cy.fit(lit, 60);
    await restyle();
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
  // The label follows the slider at once; the graph follows a slice a
  // frame, always towards the slider's latest value.
  year.addEventListener('input', () => {
    state.year = Number(year.value) >= Number(year.max) ? null : Number(year.value);
    out.textContent = state.year === null ? 'all' : String(state.year);
    restyle();
  });
  document.getElementById('find-path').addEventListener('click', findPath);
  document.getElementById('clear-path').addEventListener('click', clearPath);
  document.getElementById('relayout').addEventListener('click', () => layout(null, { fit: true }));
  const all = document.getElementById('expand-all');
  all.addEventListener('click', async () => {
    const center = page.dataset.entity || cy.nodes()[0]?.id();
    const max = Number(all.dataset.max) || 5000;
    if (center) await expand(center, 2, max, Math.round(max * 2.4));
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
