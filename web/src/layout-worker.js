// The network view's force layout, off the page's main thread: a
// Fruchterman–Reingold layout with Barnes–Hut repulsion (a quadtree, so
// each step costs n log n rather than n²) and a little gravity. It starts
// from the positions it is given and leaves fixed nodes where they are,
// so that an expansion only places what it added. Positions go back every POST_MS while it
// runs, and once more at the end; a new request cancels the running one.
//
// Request: { run, n, pos: Float64Array(2n), fixed: Uint8Array(n),
//   edges: Uint32Array(2m) (node indexes), k (ideal tie length),
//   iterations, temperature (largest first move, in model units) }
// Answer:  { run, pos: Float64Array(2n), done, iteration }
const POST_MS = 250;
const THETA = 0.9;
const GRAVITY = 0.1; // a pull towards the centre, d·GRAVITY: keeps unconnected parts in view

let current = 0;

self.onmessage = (ev) => {
  const job = ev.data;
  current = job.run;
  start(job);
};

function start(job) {
  const { run, n, fixed, edges } = job;
  const pos = job.pos;
  const k = job.k || 80;
  const iterations = job.iterations || 300;
  let t = job.temperature || k * 4;
  const cool = Math.pow(0.02 * k / t, 1 / iterations); // ends near 2% of k
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const tree = new QuadTree(n);
  let moving = 0;
  for (let i = 0; i < n; i++) if (!fixed[i]) moving++;
  let it = 0;
  let posted = performance.now();
  const step = () => {
    if (current !== run) return; // cancelled
    const sliceEnd = performance.now() + 40;
    while (it < iterations && performance.now() < sliceEnd && moving > 0) {
      iterate(n, pos, fixed, edges, k, t, dx, dy, tree);
      t *= cool;
      it++;
    }
    const done = it >= iterations || moving === 0;
    if (done || performance.now() - posted >= POST_MS) {
      posted = performance.now();
      const copy = new Float64Array(pos);
      self.postMessage({ run, pos: copy, done, iteration: it }, [copy.buffer]);
    }
    if (!done) setTimeout(step, 0); // lets a newer request in
  };
  step();
}

function iterate(n, pos, fixed, edges, k, t, dx, dy, tree) {
  const k2 = k * k;
  dx.fill(0);
  dy.fill(0);
  tree.build(pos, n);
  // Repulsion k²/d from every node (far groups as one body).
  for (let i = 0; i < n; i++) {
    if (fixed[i]) continue;
    tree.repel(i, pos[2 * i], pos[2 * i + 1], k2, dx, dy);
  }
  // Attraction d²/k along every tie.
  for (let e = 0; e < edges.length; e += 2) {
    const a = edges[e], b = edges[e + 1];
    if (a === b) continue;
    const ddx = pos[2 * a] - pos[2 * b];
    const ddy = pos[2 * a + 1] - pos[2 * b + 1];
    const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
    const f = d / k; // (d²/k) / d
    if (!fixed[a]) { dx[a] -= ddx * f; dy[a] -= ddy * f; }
    if (!fixed[b]) { dx[b] += ddx * f; dy[b] += ddy * f; }
  }
  // Gravity towards the centre of everything.
  let cx = 0, cy = 0;
  for (let i = 0; i < n; i++) { cx += pos[2 * i]; cy += pos[2 * i + 1]; }
  cx /= n;
  cy /= n;
  // Move, by at most t.
  for (let i = 0; i < n; i++) {
    if (fixed[i]) continue;
    dx[i] += (cx - pos[2 * i]) * GRAVITY;
    dy[i] += (cy - pos[2 * i + 1]) * GRAVITY;
    const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
    if (d > 0) {
      const m = Math.min(d, t) / d;
      pos[2 * i] += dx[i] * m;
      pos[2 * i + 1] += dy[i] * m;
    }
  }
}

// QuadTree: a Barnes–Hut tree in flat arrays. Each cell holds its mass
// (node count), centre of mass, square bounds and either one node (leaf)
// or four children.
class QuadTree {
  constructor(n) {
    this.cap = Math.max(64, 4 * n + 16);
    this.alloc(this.cap);
  }

  alloc(cap) {
    this.cap = cap;
    this.mass = new Float64Array(cap);
    this.cx = new Float64Array(cap);
    this.cy = new Float64Array(cap);
    this.x0 = new Float64Array(cap);
    this.y0 = new Float64Array(cap);
    this.size = new Float64Array(cap);
    this.child = new Int32Array(cap * 4);
    this.leaf = new Int32Array(cap); // node index, -1 when none or internal
  }

  cell(x0, y0, size) {
    if (this.used >= this.cap) {
      const old = this;
      const grown = { mass: old.mass, cx: old.cx, cy: old.cy, x0: old.x0, y0: old.y0, size: old.size, child: old.child, leaf: old.leaf };
      this.alloc(this.cap * 2);
      this.mass.set(grown.mass); this.cx.set(grown.cx); this.cy.set(grown.cy); this.x0.set(grown.x0);
      this.y0.set(grown.y0); this.size.set(grown.size); this.child.set(grown.child); this.leaf.set(grown.leaf);
    }
    const c = this.used++;
    this.mass[c] = 0; this.cx[c] = 0; this.cy[c] = 0;
    this.x0[c] = x0; this.y0[c] = y0; this.size[c] = size;
    this.child[4 * c] = this.child[4 * c + 1] = this.child[4 * c + 2] = this.child[4 * c + 3] = -1;
    this.leaf[c] = -1;
    return c;
  }

  build(pos, n) {
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = pos[2 * i], y = pos[2 * i + 1];
      if (x < x1) x1 = x; if (x > x2) x2 = x;
      if (y < y1) y1 = y; if (y > y2) y2 = y;
    }
    this.used = 0;
    this.pos = pos;
    const size = Math.max(x2 - x1, y2 - y1, 1) * 1.0001;
    this.root = this.cell(x1, y1, size);
    for (let i = 0; i < n; i++) this.insert(this.root, i, pos[2 * i], pos[2 * i + 1], 0);
  }

  insert(c, i, x, y, depth) {
    for (;;) {
      const m = this.mass[c];
      this.cx[c] = (this.cx[c] * m + x) / (m + 1);
      this.cy[c] = (this.cy[c] * m + y) / (m + 1);
      this.mass[c] = m + 1;
      if (m === 0) { this.leaf[c] = i; return; }
      if (depth > 40) return; // coincident points: one body
      if (this.leaf[c] >= 0) {
        // Split: push the resident node down.
        const j = this.leaf[c];
        this.leaf[c] = -1;
        const q = this.quadrant(c, this.pos[2 * j], this.pos[2 * j + 1]);
        const child = this.child[4 * c + q] = this.sub(c, q);
        this.mass[child] = 1; this.cx[child] = this.pos[2 * j]; this.cy[child] = this.pos[2 * j + 1]; this.leaf[child] = j;
      }
      const q = this.quadrant(c, x, y);
      let next = this.child[4 * c + q];
      if (next < 0) next = this.child[4 * c + q] = this.sub(c, q);
      c = next;
      depth++;
    }
  }

  quadrant(c, x, y) {
    const h = this.size[c] / 2;
    return (x >= this.x0[c] + h ? 1 : 0) + (y >= this.y0[c] + h ? 2 : 0);
  }

  sub(c, q) {
    const h = this.size[c] / 2;
    return this.cell(this.x0[c] + (q & 1 ? h : 0), this.y0[c] + (q & 2 ? h : 0), h);
  }

  repel(i, x, y, k2, dx, dy) {
    const stack = this.stack || (this.stack = new Int32Array(4096));
    let sp = 0;
    stack[sp++] = this.root;
    while (sp > 0) {
      const c = stack[--sp];
      const m = this.mass[c];
      if (m === 0 || this.leaf[c] === i) continue;
      const ddx = x - this.cx[c];
      const ddy = y - this.cy[c];
      let d2 = ddx * ddx + ddy * ddy;
      const s = this.size[c];
      if (this.leaf[c] >= 0 || s * s < THETA * THETA * d2) {
        if (d2 < 1) {
          // Coincident: push apart in a direction of the node's own.
          const a = i * 2.39996;
          dx[i] += Math.cos(a) * k2 * m;
          dy[i] += Math.sin(a) * k2 * m;
          continue;
        }
        const f = k2 * m / d2; // (k²/d) / d
        dx[i] += ddx * f;
        dy[i] += ddy * f;
        continue;
      }
      for (let q = 0; q < 4; q++) {
        const ch = this.child[4 * c + q];
        if (ch >= 0) stack[sp++] = ch;
      }
    }
  }
}
