// Paints the network view's scenes (graph-draw.js) off the page's main
// thread, on an OffscreenCanvas, and sends each picture back as an
// ImageBitmap with the view it was painted for. Requests that come while
// it paints are folded into one: it paints the latest scene, with the
// latest positions, for the latest view, never a backlog.
//
// Request: { scene?, pos?, view? } — scene: see buildScene; pos: new
// positions for the scene's nodes (they moved, nothing else changed);
// view: { width, height (device px), zoom, x, y (the pan, device px) }.
// Answer: { bitmap, view }.
import { paint } from './graph-draw.js';

let canvas = null;
let ctx = null;
let scene = null;
let view = null;
let dirty = false;
let scheduled = false;

self.onmessage = (ev) => {
  const m = ev.data;
  if (m.scene) scene = m.scene;
  if (m.pos && scene && m.pos.length === scene.pos.length) scene.pos = m.pos;
  if (m.view) view = m.view;
  dirty = true;
  if (!scheduled) {
    scheduled = true;
    setTimeout(draw, 0); // after any messages already queued
  }
};

function draw() {
  scheduled = false;
  if (!dirty || !scene || !view) return;
  dirty = false;
  const v = view;
  if (!canvas || canvas.width !== v.width || canvas.height !== v.height) {
    canvas = new OffscreenCanvas(v.width, v.height);
    ctx = canvas.getContext('2d');
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, v.width, v.height);
  ctx.setTransform(v.zoom, 0, 0, v.zoom, v.x, v.y);
  const extent = { x1: -v.x / v.zoom, y1: -v.y / v.zoom, x2: (v.width - v.x) / v.zoom, y2: (v.height - v.y) / v.zoom };
  paint(ctx, scene, v.zoom, extent, true);
  const bitmap = canvas.transferToImageBitmap();
  self.postMessage({ bitmap, view: v }, [bitmap]);
}
