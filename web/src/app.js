// Faultline's page scripts: instant search, the source view's links
// between text and extracted items, the review queue's keyboard, merges,
// and the map's zoom and pan. Document text is untrusted: it only ever
// reaches the page through textContent, never as markup.
import { api, el, debounce } from './common.js';

function initSearch() {
  const form = document.getElementById('search-form');
  if (!form) return;
  const q = document.getElementById('q');
  const type = document.getElementById('search-type');
  const hits = document.getElementById('hits');
  let seq = 0;
  const run = debounce(async () => {
    const query = q.value.trim();
    const my = ++seq;
    const params = new URLSearchParams({ q: query, limit: '25' });
    if (type.value) params.set('type', type.value);
    history.replaceState(null, '', query ? `/?${params}` : '/');
    if (!query) {
      hits.replaceChildren();
      return;
    }
    try {
      const res = await api('GET', `/api/v1/search?${params}`);
      if (my !== seq) return;
      hits.replaceChildren(...res.hits.map(renderHit));
      if (!res.hits.length) hits.append(el('li', { class: 'empty' }, `Nothing matches “${query}”.`));
    } catch (e) {
      if (my === seq) hits.replaceChildren(el('li', { class: 'error' }, e.message));
    }
  }, 120);
  q.addEventListener('input', run);
  type.addEventListener('change', run);
}

// snippet renders FTS5 [marked] terms as <mark>, the rest as text.
function snippet(s) {
  const out = el('div', { class: 'snippet' });
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    out.append(document.createTextNode(s.slice(last, m.index)), el('mark', {}, m[1]));
    last = m.index + m[0].length;
  }
  out.append(document.createTextNode(s.slice(last)));
  return out;
}

function renderHit(h) {
  const li = el('li', { class: 'hit' });
  if (h.kind === 'entity') {
    li.append(el('a', { class: 'hit-title', href: `/entities/${encodeURIComponent(h.entity_id)}` }, h.title), ' ',
      el('span', { class: `type t-${h.type}` }, h.type));
  } else {
    li.append(el('a', { class: 'hit-title', href: `/sources/${h.source_id}` }, h.title), ' ', el('span', { class: 'type' }, 'source'));
  }
  li.append(snippet(h.snippet));
  return li;
}

// The source view: an item on the right lights up its spans in the text;
// a highlighted stretch of text lights up its items.
function initSource() {
  const text = document.getElementById('source-text');
  const aside = document.getElementById('extracted');
  if (!text || !aside) return;
  const clear = () => {
    text.querySelectorAll('.seg.focus').forEach((s) => s.classList.remove('focus'));
    aside.querySelectorAll('.item.focus').forEach((s) => s.classList.remove('focus'));
  };
  const focusKey = (key, scroll) => {
    clear();
    let first = null;
    text.querySelectorAll('.seg').forEach((s) => {
      if (s.dataset.a.split(' ').includes(key)) {
        s.classList.add('focus');
        first = first || s;
      }
    });
    aside.querySelectorAll(`.item[data-key="${CSS.escape(key)}"]`).forEach((i) => i.classList.add('focus'));
    if (first && scroll) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };
  aside.addEventListener('click', (ev) => {
    const item = ev.target.closest('.item');
    if (!item || ev.target.closest('a[href^="/entities/"]')) return;
    ev.preventDefault();
    focusKey(item.dataset.key, true);
    const claim = item.dataset.key.startsWith('c-') ? item.dataset.key.slice(2) : '';
    if (claim) history.replaceState(null, '', `?claim=${encodeURIComponent(claim)}`);
  });
  text.addEventListener('click', (ev) => {
    const seg = ev.target.closest('.seg');
    if (!seg) return;
    clear();
    seg.dataset.a.split(' ').forEach((key) => {
      aside.querySelectorAll(`.item[data-key="${CSS.escape(key)}"]`).forEach((i) => i.classList.add('focus'));
    });
    const item = aside.querySelector('.item.focus');
    if (item) item.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    seg.classList.add('focus');
  });
  const f = document.getElementById('focus');
  if (f) f.scrollIntoView({ block: 'center' });
}

// The review queue: j/k to move, a/r to accept or reject, e to edit, u to
// undo the last decision, o to open the evidence.
function initReview() {
  const queue = document.getElementById('queue');
  if (!queue) return;
  const items = () => [...queue.querySelectorAll('.qitem')];
  let cur = 0;
  const undo = [];
  const select = (i) => {
    const list = items();
    if (!list.length) return;
    cur = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((x, j) => x.classList.toggle('current', j === cur));
    list[cur].focus({ preventScroll: true });
    list[cur].scrollIntoView({ block: 'nearest' });
  };
  const setStatus = async (li, status) => {
    try {
      await api('POST', `/api/v1/claims/${encodeURIComponent(li.dataset.claim)}/review`, { status });
      li.querySelector('.status').textContent = status === 'machine' ? 'machine' : status;
      li.classList.toggle('done', status !== 'machine');
      li.classList.toggle('rejected', status === 'rejected');
      li.classList.toggle('accepted', status === 'accepted');
      return true;
    } catch (e) {
      li.querySelector('.status').textContent = e.message;
      return false;
    }
  };
  const decide = async (li, status) => {
    if (await setStatus(li, status)) {
      undo.push(li);
      select(items().indexOf(li) + 1);
    }
  };
  const edit = (li) => {
    if (li.querySelector('form.edit')) return;
    const form = document.getElementById('edit-form').content.firstElementChild.cloneNode(true);
    form.predicate.value = li.dataset.predicate || 'supports';
    form.predicate.disabled = li.dataset.kind !== 'relation';
    form.modality.value = li.dataset.modality;
    form.valid_from.value = li.dataset.validFrom || '';
    form.valid_to.value = li.dataset.validTo || '';
    form.event_date.value = li.dataset.eventDate || '';
    form.event_date.disabled = li.dataset.kind !== 'event';
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { modality: form.modality.value };
      if (li.dataset.kind === 'relation') {
        body.predicate = form.predicate.value;
        body.valid_from = form.valid_from.value.trim();
        body.valid_to = form.valid_to.value.trim();
      } else {
        body.event_date = form.event_date.value.trim();
      }
      try {
        await api('PATCH', `/api/v1/claims/${encodeURIComponent(li.dataset.claim)}`, body);
        li.querySelector('.status').textContent = 'edited';
        li.dataset.modality = body.modality;
        li.classList.add('done');
        form.remove();
        select(items().indexOf(li) + 1);
      } catch (e) {
        form.append(el('p', { class: 'error' }, e.message));
      }
    });
    form.querySelector('.cancel').addEventListener('click', () => { form.remove(); li.focus(); });
    li.append(form);
    form.modality.focus();
  };
  queue.addEventListener('click', (ev) => {
    const li = ev.target.closest('.qitem');
    if (!li) return;
    select(items().indexOf(li));
    const act = ev.target.closest('button[data-act]');
    if (!act) return;
    if (act.dataset.act === 'edit') edit(li);
    else decide(li, act.dataset.act);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest('input, select, textarea') || ev.metaKey || ev.ctrlKey || ev.altKey) return;
    const li = items()[cur];
    switch (ev.key) {
      case 'j': case 'ArrowDown': select(cur + 1); break;
      case 'k': case 'ArrowUp': select(cur - 1); break;
      case 'a': if (li) decide(li, 'accepted'); break;
      case 'r': if (li) decide(li, 'rejected'); break;
      case 'e': if (li) edit(li); break;
      case 'o': if (li) location.href = li.querySelector('a.open').href; break;
      case 'u': {
        const last = undo.pop();
        if (last) setStatus(last, 'machine').then(() => select(items().indexOf(last)));
        break;
      }
      default: return;
    }
    ev.preventDefault();
  });
  select(0);

  const mergeForm = document.getElementById('merge-form');
  const mergeStatus = document.getElementById('merge-status');
  mergeForm?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/v1/merges', { from: mergeForm.from.value.trim(), into: mergeForm.into.value.trim() });
      location.reload();
    } catch (e) {
      mergeStatus.textContent = e.message;
    }
  });
  document.querySelectorAll('button.unmerge').forEach((b) => b.addEventListener('click', async () => {
    try {
      await api('DELETE', `/api/v1/merges/${encodeURIComponent(b.dataset.entity)}`);
      location.reload();
    } catch (e) {
      mergeStatus.textContent = e.message;
    }
  }));
}

// The map: wheel to zoom about the pointer, drag to pan, by moving the
// SVG's viewBox; double-click resets.
function initMap() {
  const svg = document.getElementById('map');
  if (!svg) return;
  let vb = svg.getAttribute('viewBox').split(/\s+/).map(Number);
  const initial = [...vb];
  const set = () => svg.setAttribute('viewBox', vb.map((v) => v.toFixed(1)).join(' '));
  const toMap = (ev) => {
    const r = svg.getBoundingClientRect();
    const s = Math.max(vb[2] / r.width, vb[3] / r.height);
    const ox = (r.width - vb[2] / s) / 2;
    const oy = (r.height - vb[3] / s) / 2;
    return [vb[0] + (ev.clientX - r.left - ox) * s, vb[1] + (ev.clientY - r.top - oy) * s, s];
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const [mx, my] = toMap(ev);
    const k = ev.deltaY < 0 ? 0.8 : 1.25;
    const w = Math.min(Math.max(vb[2] * k, 20), 7200);
    const f = w / vb[2];
    vb = [mx - (mx - vb[0]) * f, my - (my - vb[1]) * f, w, vb[3] * f];
    set();
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.target.closest('a')) return;
    drag = { x: ev.clientX, y: ev.clientY, vb: [...vb], s: toMap(ev)[2] };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    vb = [drag.vb[0] - (ev.clientX - drag.x) * drag.s, drag.vb[1] - (ev.clientY - drag.y) * drag.s, vb[2], vb[3]];
    set();
  });
  svg.addEventListener('pointerup', () => { drag = null; });
  svg.addEventListener('dblclick', () => { vb = [...initial]; set(); });
}

document.addEventListener('DOMContentLoaded', () => {
  initSearch();
  initSource();
  initReview();
  initMap();
  document.body.dataset.ready = 'true';
});
