// Batched drawing for large graphs. Cytoscape's canvas renderer draws
// element by element — a texture per node, a path and a stroke per tie —
// which at 5,000 nodes and 12,000 ties costs about a second a frame on a
// software-rasterised canvas, and dashed ties seen from afar cost more
// (a dash pattern a fraction of a pixel long is thousands of segments a
// tie). Here the same elements become a scene — one path per look: the
// ties grouped by colour, width, line style, opacity and z-index, the
// arrowheads by colour, the nodes by fill and by border, the labels by
// font — and paint draws a scene with a stroke or a fill a group. Every
// value comes from the element's computed style (pstyle), so the
// stylesheet, classes and filters keep deciding what things look like;
// cytoscape keeps hit-testing, events and the viewport.
//
// Where the browser has OffscreenCanvas, the painting itself happens in a
// worker (draw-worker.js): the page builds the scene when something
// changed (tens of ms at 5,000 nodes), sends it, and meanwhile shows the
// worker's last picture, moved and scaled to the current view. So a
// frame costs the page a scene at most and a bitmap copy, never the
// rasterising, and panning or zooming moves a picture while the worker
// draws the next one.
//
// It covers what the network view's stylesheet uses — ellipse nodes with
// a border and a label below, straight ties with triangle arrowheads or
// haystack ties without, no tie labels — and graph.js switches it on only
// for graphs large enough to need it. Dash patterns keep a size on screen
// (see screenDash): hedged ties stay visibly dashed with the whole graph
// in view, where cytoscape would draw sub-pixel dashes (and spend most of
// its frame on them).
const DASH_GAP = 6; // px: the shortest gap drawn; dashes grow with it
const DOTS = [2, 6]; // px: dot, gap

// screenDash gives a dash pattern, in model units, that looks on screen
// as the style's does up close, and as DASH_GAP-sized dashes (or DOTS)
// when the style's would be smaller. Stroking costs a segment a dash:
// a 6-unit dash seen from afar is thousands of sub-pixel segments a tie.
function screenDash(dash, zoom) {
  if (dash.length === 2 && dash[0] === 1 && dash[1] === 1) {
    return zoom >= 3 ? dash : DOTS.map((d) => d / zoom);
  }
  const gap = Math.max(0.1, Math.min(...dash));
  if (gap * zoom >= DASH_GAP) return dash;
  const k = DASH_GAP / (gap * zoom);
  return dash.map((d) => d * k);
}

const rgb = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;
const LINE = { solid: 0, dashed: 1, dotted: 2 };

// install makes cy's renderer draw through scenes while enabled() holds,
// painted in a worker from workerURL when it can be (onPainted hears how
// many nodes each picture put on screen has), and, while it does,
// skips the work that only cytoscape's own drawing needs: keeping its
// per-element textures current (a few hundred ms after every large
// restyle or move) and a full comparison sort of every element whenever
// one is shown or hidden (the order it needs — ties under nodes, then by
// z-index, then in the order added — comes from one pass). It returns
// false, changing nothing, if the renderer is not the canvas renderer
// this was written for (cytoscape 3.34). Otherwise it returns { moved },
// to be called after moving nodes other than by dragging them, and
// pictures, how many the worker has painted.
export function install(cy, { enabled, workerURL = null, onPainted = () => {} }) {
  const r = cy.renderer && cy.renderer();
  const fns = r && r.onUpdateEleCalcsFns;
  if (!r || !r.data || !r.data.contexts || !r.data.canvases || !Array.isArray(fns) || !r.hoverData
    || !['drawLayeredElements', 'drawCachedNodes', 'drawCachedElements', 'getCachedZSortedEles', 'updateCachedGrabbedEles', 'redraw', 'redrawHint'].every((f) => typeof r[f] === 'function')) {
    return false;
  }
  const screen = (context) => r.data.contexts.includes(context);
  const nodeCanvas = r.data.canvases[r.NODE];
  const nodeContext = r.data.contexts[r.NODE];

  // The worker, if there can be one, and what it has been sent and sent back.
  let worker = null;
  if (workerURL && typeof OffscreenCanvas === 'function' && typeof Worker === 'function') {
    try {
      worker = new Worker(workerURL);
    } catch {
      worker = null;
    }
  }
  // version is bumped by anything that changes what is drawn: elements
  // added, removed or restyled, nodes grabbed or let go (a grabbed node is
  // drawn apart); moves by anything that only moves nodes: a drag, and
  // moves made through moved() — a listener for every position event
  // would cost more than the moves themselves when a layout moves
  // thousands of nodes. A move sends the worker positions alone.
  let version = 1;
  let moves = 0;
  cy.on('add remove style grab free', () => { version++; });
  cy.on('drag', () => { moves++; });
  let sent = 0; // the version of the last scene sent…
  let sentMoves = 0; // …the moves it or later positions include…
  let sentScene = null; // …and the scene (its node order)
  let sentView = '';
  let waiting = false; // a picture is being painted
  let picture = null; // { bitmap, view, nodes } last painted
  let shown = null; // the picture last put on screen
  let pictures = 0;
  if (worker) {
    worker.onmessage = (ev) => {
      if (picture) picture.bitmap.close();
      picture = { ...ev.data, nodes: sentScene ? sentScene.nodes : 0 };
      pictures++;
      waiting = false;
      r.redrawHint('eles', true);
      r.redraw();
    };
    worker.onerror = () => {
      worker = null; // paint here from now on
      r.redrawHint('eles', true);
      r.redraw();
    };
  }
  const offload = (context, eles) => {
    const zoom = cy.zoom();
    const pan = cy.pan();
    const pr = nodeCanvas.width / Math.max(1, nodeCanvas.clientWidth || nodeCanvas.width);
    const view = { width: nodeCanvas.width, height: nodeCanvas.height, zoom: zoom * pr, x: pan.x * pr, y: pan.y * pr };
    const key = `${view.width} ${view.height} ${view.zoom} ${view.x} ${view.y}`;
    if (!waiting && (version !== sent || moves !== sentMoves || key !== sentView)) {
      if (version !== sent || !sentScene) {
        const scene = buildScene(eles, true, true);
        worker.postMessage({ scene, view }, transferables(scene));
        sentScene = scene;
        sent = version;
      } else if (moves !== sentMoves) {
        const pos = positions(sentScene);
        worker.postMessage({ pos, view }, [pos.buffer]);
      } else {
        worker.postMessage({ view });
      }
      sentMoves = moves;
      sentView = key;
      waiting = true;
    }
    if (!picture) return false;
    // The last picture, where its view puts it in model units.
    const v = picture.view;
    context.drawImage(picture.bitmap, -v.x / v.zoom, -v.y / v.zoom, v.width / v.zoom, v.height / v.zoom);
    if (shown !== picture) {
      shown = picture;
      onPainted(picture.nodes);
    }
    return true;
  };
  const draw = (context, eles, extent, withEdges) => {
    if (worker && withEdges && context === nodeContext && offload(context, eles)) return;
    const scene = buildScene(eles, withEdges, screen(context));
    paint(context, scene, cy.zoom(), extent, screen(context));
    if (context === nodeContext) onPainted(scene.nodes);
  };
  const layered = r.drawLayeredElements;
  const nodesOnly = r.drawCachedNodes;
  const cached = r.drawCachedElements;
  r.drawLayeredElements = function drawLayered(context, eles, pxRatio, extent) {
    if (!enabled()) return layered.call(this, context, eles, pxRatio, extent);
    return draw(context, eles, extent, true);
  };
  r.drawCachedElements = function drawCached(context, eles, pxRatio, extent) {
    if (!enabled()) return cached.call(this, context, eles, pxRatio, extent);
    return draw(context, eles, extent, true);
  };
  r.drawCachedNodes = function drawNodes(context, eles, pxRatio, extent) {
    if (!enabled()) return nodesOnly.call(this, context, eles, pxRatio, extent);
    return draw(context, eles, extent, false);
  };
  // The geometry cytoscape keeps for each tie (its end points, for its
  // own drawing and its bounding box), recomputed before every frame for
  // every tie whose ends moved or whose style changed: while drawing here
  // (which reads node positions) only nodes are brought up to date then,
  // and ties stay marked stale until something asks for their bounds —
  // cytoscape then recomputes them, as it does for anything stale.
  let calcs = 0;
  const duringCalcs = (fn) => function calcsNodesFirst(...args) {
    calcs++;
    try {
      return fn.apply(this, args);
    } finally {
      calcs--;
    }
  };
  const eleCalcs = Array.isArray(r.beforeRenderCallbacks) && r.beforeRenderPriorities
    ? r.beforeRenderCallbacks.find((cb) => cb.priority === r.beforeRenderPriorities.eleCalcs) : null;
  const recalc = r.recalculateRenderedStyle;
  if (eleCalcs && typeof recalc === 'function' && typeof r.flushRenderedStyleQueue === 'function') {
    eleCalcs.fn = duringCalcs(eleCalcs.fn);
    r.flushRenderedStyleQueue = duringCalcs(r.flushRenderedStyleQueue);
    r.recalculateRenderedStyle = function recalcNodes(eles, useCache) {
      if (calcs > 0 && enabled()) return recalc.call(this, eles.nodes(), useCache);
      return recalc.call(this, eles, useCache);
    };
  }
  // Texture invalidation, skipped while drawing here and caught up with,
  // for everything at once, if cytoscape ever draws again.
  let stale = false;
  for (let i = 0; i < fns.length; i++) {
    const fn = fns[i];
    if (!/invalidateElements/.test(String(fn))) continue; // the texture caches' hook (named only in the unminified source)
    fns[i] = function invalidateUnlessFast(willDraw, eles) {
      if (enabled()) {
        stale = true;
        return undefined;
      }
      if (stale) {
        stale = false;
        return fn.call(this, willDraw, cy.elements());
      }
      return fn.call(this, willDraw, eles);
    };
  }
  // Hit-testing (every mouse move, for hover events): cytoscape's asks
  // each element for its label's bounding box even when labels take no
  // events, which recomputes thousands of boxes after a move. The same
  // test without labels (text-events is off here) and without arrowheads
  // (the tie under them is hit anyway), ties taken from centre to centre:
  // the topmost node, the nearest tie.
  const nearest = r.findNearestElements;
  if (typeof nearest === 'function') {
    r.findNearestElements = function near(x, y, interactiveOnly, isTouch) {
      if (!enabled()) return nearest.call(this, x, y, interactiveOnly, isTouch);
      const all = this.getCachedZSortedEles();
      const eles = interactiveOnly ? all.interactive : all;
      const zoom = cy.zoom();
      const edgeT = (isTouch ? 24 : 8) / zoom;
      const nodeT = (isTouch ? 8 : 2) / zoom;
      const found = [];
      let node = null;
      let edge = null;
      let best = Infinity;
      for (let i = eles.length - 1; i >= 0; i--) {
        const ele = eles[i];
        const p = ele._private;
        if (p.group === 'nodes') {
          if (node) continue;
          const b = ele.pstyle('border-width').pfValue;
          const hw = (ele.pstyle('width').pfValue + b) / 2 + nodeT;
          const hh = (ele.pstyle('height').pfValue + b) / 2 + nodeT;
          const dx = (x - p.position.x) / hw;
          const dy = (y - p.position.y) / hh;
          if (dx * dx + dy * dy <= 1) {
            node = ele;
            found.push(ele);
          }
          continue;
        }
        // From centre to centre: the ties' own geometry may be stale here.
        const { x: x1, y: y1 } = p.source._private.position;
        const { x: x2, y: y2 } = p.target._private.position;
        const w = ele.pstyle('width').pfValue / 2 + edgeT;
        if (x < Math.min(x1, x2) - w || x > Math.max(x1, x2) + w || y < Math.min(y1, y2) - w || y > Math.max(y1, y2) + w) continue;
        const d2 = segmentDistance2(x, y, x1, y1, x2, y2);
        if (d2 < w * w && d2 < best) {
          best = d2;
          if (edge) found[found.indexOf(edge)] = ele;
          else found.push(ele);
          edge = ele;
        }
      }
      return found;
    };
  }
  const zsorted = r.getCachedZSortedEles;
  r.getCachedZSortedEles = function sorted(forceRecalc) {
    if (!enabled() || cy.hasCompoundNodes()) return zsorted.call(this, forceRecalc);
    if (forceRecalc || !this.cachedZSortedEles) {
      const all = cy.mutableElements();
      const buckets = new Map();
      for (let i = 0; i < all.length; i++) {
        const ele = all[i];
        const key = (ele._private.group === 'nodes' ? 1e6 : 0) + ele.pstyle('z-index').value;
        let b = buckets.get(key);
        if (!b) buckets.set(key, (b = []));
        b.push(ele);
      }
      const eles = [];
      // And, as updateCachedGrabbedEles would, the grabbed (dragged) ones
      // apart, in one pass too.
      const drag = [];
      const nondrag = [];
      const grabbed = [];
      for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
        for (const ele of buckets.get(key)) {
          eles.push(ele);
          const p = ele._private;
          if (p.grabbed) grabbed.push(ele);
          else if (p.rscratch.inDragLayer) drag.push(ele);
          else nondrag.push(ele);
        }
      }
      eles.drag = drag.concat(grabbed);
      eles.nondrag = nondrag;
      // Which are interactive, asked only when something needs it (a
      // click, a hover), not after every change.
      Object.defineProperty(eles, 'interactive', {
        configurable: true,
        get() {
          const list = eles.filter((ele) => ele.interactive());
          Object.defineProperty(eles, 'interactive', { value: list, configurable: true });
          return list;
        },
      });
      this.cachedZSortedEles = eles;
    }
    return this.cachedZSortedEles;
  };
  return {
    moved: () => { moves++; },
    get pictures() { return pictures; }, // painted by the worker so far
  };
}

// transferables lists a scene's buffers, handed to the worker rather
// than copied.
function transferables(scene) {
  const list = [scene.pos.buffer, scene.rad.buffer];
  for (const k of ['edges', 'fills', 'borders', 'labels']) for (const g of scene[k]) list.push((g.ends || g.nodes).buffer);
  return list;
}

// look is what a scene needs of an element's computed style, kept
// until cytoscape's hash of that style (styleKey) changes: reading a
// dozen properties of 17,000 elements every frame costs more than
// drawing them.
const LOOK = '__faultlineLook'; // where an element's look is kept, on its cytoscape record

const colourKey = (c) => c[0] * 65536 + c[1] * 256 + c[2];

function look(ele) {
  const p = ele._private;
  if (p.styleDirty) ele.pstyle('display'); // brings the style (and its key) up to date
  let l = p[LOOK];
  if (l && l.key === p.styleKey) return l;
  const displayed = ele.pstyle('display').value !== 'none';
  const shown = displayed && ele.pstyle('visibility').value === 'visible';
  const op = ele.pstyle('opacity').value;
  const z = Math.max(0, Math.min(31, ele.pstyle('z-index').value | 0));
  const opq = Math.round(op * 100);
  l = { key: p.styleKey, displayed, shown: shown && op > 0, op, z };
  if (p.group === 'edges') {
    const c = ele.pstyle('line-color').value;
    const w = ele.pstyle('width').pfValue;
    const ls = LINE[ele.pstyle('line-style').value] || 0;
    l.group = ((((colourKey(c)) * 1024 + Math.min(1023, Math.round(w * 10))) * 4 + ls) * 128 + opq) * 32 + z;
    l.color = rgb(c);
    l.width = w;
    l.dash = ls === 2 ? [1, 1] : ls ? ele.pstyle('line-dash-pattern').pfValue : null;
    l.haystack = ele.pstyle('curve-style').value === 'haystack';
    l.arrow = null;
    if (!l.haystack && ele.pstyle('target-arrow-shape').value === 'triangle') {
      const ac = ele.pstyle('target-arrow-color').value;
      // cytoscape's arrow size; its triangle is 0.3 long and 0.3 wide.
      l.arrow = { size: Math.max(Math.pow(w * 13.37, 0.9), 29) * ele.pstyle('arrow-scale').value, group: (colourKey(ac) * 128 + opq) * 32 + z, color: rgb(ac) };
    }
  } else {
    const c = ele.pstyle('background-color').value;
    l.rad = ele.pstyle('width').pfValue / 2;
    l.fill = (colourKey(c) * 128 + opq) * 32 + z;
    l.color = rgb(c);
    l.bw = ele.pstyle('border-width').pfValue;
    if (l.bw > 0) {
      const bc = ele.pstyle('border-color').value;
      l.border = ((colourKey(bc) * 1024 + Math.min(1023, Math.round(l.bw * 10))) * 128 + opq) * 32 + z;
      l.bcolor = rgb(bc);
    }
    const text = ele.pstyle('label').strValue;
    l.label = text ? {
      text,
      size: ele.pstyle('font-size').pfValue,
      min: ele.pstyle('min-zoomed-font-size').pfValue,
      font: `${ele.pstyle('font-style').strValue} ${ele.pstyle('font-weight').strValue} ${ele.pstyle('font-size').pfValue}px ${ele.pstyle('font-family').strValue}`,
      color: rgb(ele.pstyle('color').value),
      alpha: ele.pstyle('text-opacity').value * op,
      dy: ele.pstyle('height').pfValue / 2 + ele.pstyle('text-margin-y').pfValue,
    } : null;
  }
  if (p.styleKey != null) p[LOOK] = l;
  return l;
}

// prepare computes the looks of eles now (graph.js does it inside the
// slices that add or restyle them, where the time is counted) rather than
// when the next scene is built.
export function prepare(eles) {
  for (const ele of eles) look(ele);
}

// Indexes: a growable Uint32Array (a scene is rebuilt often; this makes
// little garbage).
class Indexes {
  constructor() {
    this.a = new Uint32Array(256);
    this.n = 0;
  }

  push(i) {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = i;
  }

  // array is exact-length (a subarray would send the whole buffer).
  get array() {
    return this.a.slice(0, this.n);
  }
}

function group(map, key, make) {
  let g = map.get(key);
  if (!g) {
    g = make();
    g.list = new Indexes();
    map.set(key, g);
  }
  return g;
}

const FI = '__faultlineIndex'; // a node's index in the scene being built…
const FS = '__faultlineScene'; // …and which scene that is
let scenes = 0;

// buildScene turns eles (cytoscape's z-sorted array) into a scene: the
// nodes' positions and radii by index, and the groups paint draws — ties
// as pairs of node indexes, nodes and labels as node indexes — so that a
// move needs only new positions (positions(scene)). scene.order holds the
// nodes in index order; it stays in the page.
export function buildScene(eles, withEdges = true, withLabels = true) {
  const stamp = ++scenes;
  const order = [];
  const radii = [];
  const edges = new Map();
  const fills = new Map();
  const borders = new Map();
  const labels = new Map();
  // Nodes first, so that ties can name their ends by index.
  for (let i = 0; i < eles.length; i++) {
    const ele = eles[i];
    const p = ele._private;
    if (p.group !== 'nodes') continue;
    const l = look(ele);
    if (!l.displayed) continue;
    const k = order.length;
    p[FI] = k;
    p[FS] = stamp;
    order.push(ele);
    radii.push(l.rad);
    if (!l.shown) continue;
    group(fills, l.fill, () => ({ z: l.z, color: l.color, op: l.op })).list.push(k);
    if (l.bw > 0) group(borders, l.border, () => ({ z: l.z, color: l.bcolor, width: l.bw, op: l.op })).list.push(k);
    if (withLabels && l.label) {
      const lb = l.label;
      const key = `${lb.font}|${lb.color}|${lb.alpha}|${lb.min}|${lb.dy}`;
      let g = labels.get(key);
      if (!g) labels.set(key, (g = { font: lb.font, color: lb.color, alpha: lb.alpha, size: lb.size, min: lb.min, dy: lb.dy, list: new Indexes(), text: [] }));
      g.list.push(k);
      g.text.push(lb.text);
    }
  }
  const n = order.length;
  const rad = new Float32Array(radii);
  if (withEdges) {
    for (let i = 0; i < eles.length; i++) {
      const ele = eles[i];
      const p = ele._private;
      if (p.group !== 'edges') continue;
      const l = look(ele);
      if (!l.shown) continue;
      const s = p.source._private;
      const t = p.target._private;
      if (s[FS] !== stamp || t[FS] !== stamp) continue; // an end not displayed, or not in eles
      const a = s[FI];
      const b = t[FI];
      if (a === b) continue;
      // The tie's look, and how its ends are drawn: haystack (centre to
      // centre) or straight (border to border, maybe an arrowhead).
      const key = l.haystack ? -1 : l.arrow ? l.arrow.group : -2;
      let byEnd = edges.get(l.group);
      if (!byEnd) edges.set(l.group, (byEnd = new Map()));
      const g = group(byEnd, key, () => ({
        z: l.z, color: l.color, width: l.width, op: l.op, dash: l.dash, haystack: l.haystack,
        arrow: l.arrow ? { size: l.arrow.size, color: l.arrow.color } : null,
      }));
      g.list.push(a);
      g.list.push(b);
    }
  }
  const scene = {
    n, pos: positions({ order }), rad,
    edges: [...edges.values()].flatMap((byEnd) => [...byEnd.values()]).map(({ list, ...g }) => ({ ...g, ends: list.array })),
    fills: [...fills.values()].map(({ list, ...g }) => ({ ...g, nodes: list.array })),
    borders: [...borders.values()].map(({ list, ...g }) => ({ ...g, nodes: list.array })),
    labels: [...labels.values()].map(({ list, ...g }) => ({ ...g, nodes: list.array })),
  };
  let shown = 0;
  for (const g of scene.fills) shown += g.nodes.length;
  scene.nodes = shown;
  Object.defineProperty(scene, 'order', { value: order, enumerable: false }); // not sent
  return scene;
}

// positions reads the positions of a scene's nodes, in index order.
export function positions(scene) {
  const order = scene.order;
  const pos = new Float32Array(2 * order.length);
  for (let k = 0; k < order.length; k++) {
    const q = order[k]._private.position;
    pos[2 * k] = q.x;
    pos[2 * k + 1] = q.y;
  }
  return pos;
}

const byZ = (a, b) => a.z - b.z;

// paint draws a scene on a context whose transform maps model units to
// the canvas at zoom; labels only inside extent (model units) and where
// the zoom makes them large enough. Runs in the page or in the worker.
export function paint(ctx, scene, zoom, extent, withLabels = true) {
  const { pos, rad } = scene;
  ctx.save();
  ctx.lineCap = 'butt';
  // Ties first (their arrowheads after them), then nodes, each by
  // z-index, as cytoscape orders them.
  const arrows = [];
  for (const g of [...scene.edges].sort(byZ)) {
    ctx.globalAlpha = g.op;
    ctx.strokeStyle = g.color;
    ctx.lineWidth = g.width; // as cytoscape draws it: a hairline, faint, from afar
    ctx.setLineDash(g.dash ? screenDash(g.dash, zoom) : []);
    ctx.beginPath();
    const ends = g.ends;
    const heads = g.arrow ? [] : null;
    for (let i = 0; i < ends.length; i += 2) {
      const a = ends[i], b = ends[i + 1];
      const ax = pos[2 * a], ay = pos[2 * a + 1], bx = pos[2 * b], by = pos[2 * b + 1];
      if (g.haystack) {
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
        continue;
      }
      // Straight: from border to border, the arrowhead's tip on the target's.
      const dx = bx - ax, dy = by - ay;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= rad[a] + rad[b]) continue;
      const ux = dx / d, uy = dy / d;
      let ex = bx - ux * rad[b], ey = by - uy * rad[b];
      if (heads) {
        const size = g.arrow.size; // cytoscape's triangle: 0.3 long, 0.3 wide
        const hx = ex - ux * 0.3 * size, hy = ey - uy * 0.3 * size;
        const hw = 0.15 * size;
        heads.push(ex, ey, hx - uy * hw, hy + ux * hw, hx + uy * hw, hy - ux * hw);
        ex = hx;
        ey = hy;
      }
      ctx.moveTo(ax + ux * rad[a], ay + uy * rad[a]);
      ctx.lineTo(ex, ey);
    }
    ctx.stroke();
    if (heads && heads.length) arrows.push({ z: g.z, op: g.op, color: g.arrow.color, heads });
  }
  ctx.setLineDash([]);
  for (const g of arrows) {
    ctx.globalAlpha = g.op;
    ctx.fillStyle = g.color;
    ctx.beginPath();
    const h = g.heads;
    for (let i = 0; i < h.length; i += 6) {
      ctx.moveTo(h[i], h[i + 1]);
      ctx.lineTo(h[i + 2], h[i + 3]);
      ctx.lineTo(h[i + 4], h[i + 5]);
      ctx.closePath();
    }
    ctx.fill();
  }
  const zs = [...new Set([...scene.fills, ...scene.borders].map((g) => g.z))].sort((a, b) => a - b);
  for (const z of zs) {
    for (const g of scene.fills) {
      if (g.z !== z) continue;
      ctx.globalAlpha = g.op;
      ctx.fillStyle = g.color;
      ctx.beginPath();
      circles(ctx, g.nodes, pos, rad);
      ctx.fill();
    }
    for (const g of scene.borders) {
      if (g.z !== z) continue;
      ctx.globalAlpha = g.op;
      ctx.strokeStyle = g.color;
      ctx.lineWidth = g.width;
      ctx.beginPath();
      circles(ctx, g.nodes, pos, rad);
      ctx.stroke();
    }
  }
  // Labels: centred under the node, as text-valign bottom puts them.
  if (withLabels && extent) {
    const pad = 50 / zoom;
    const x1 = extent.x1 - pad, x2 = extent.x2 + pad, y1 = extent.y1 - pad, y2 = extent.y2 + pad;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const g of scene.labels) {
      if (g.size * zoom < g.min) continue;
      ctx.font = g.font;
      ctx.globalAlpha = g.alpha;
      ctx.fillStyle = g.color;
      for (let i = 0; i < g.nodes.length; i++) {
        const k = g.nodes[i];
        const x = pos[2 * k], y = pos[2 * k + 1] + g.dy;
        if (x > x1 && x < x2 && y > y1 && y < y2) ctx.fillText(g.text[i], x, y);
      }
    }
  }
  ctx.restore();
}

// drawGraph paints eles at once on a context whose transform the
// renderer has set.
export function drawGraph(cy, ctx, eles, extent, withEdges = true, withLabels = true) {
  paint(ctx, buildScene(eles, withEdges, withLabels), cy.zoom(), extent, withLabels);
}

function circles(ctx, nodes, pos, rad) {
  for (let i = 0; i < nodes.length; i++) {
    const k = nodes[i];
    const x = pos[2 * k], y = pos[2 * k + 1], r = rad[k];
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

function segmentDistance2(x, y, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((x - x1) * dx + (y - y1) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const px = x1 + t * dx - x;
  const py = y1 + t * dy - y;
  return px * px + py * py;
}
