// Helpers shared by the page scripts.

// csrf is the token the page was rendered with; every state-changing
// request sends it.
export const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || '';

// api calls the JSON API and throws an Error with the server's message.
export async function api(method, url, body) {
  const opts = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = csrf();
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(url, opts);
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    // not JSON: fall through to the status
  }
  if (!res.ok) throw new Error(data?.error?.message || `${res.status} ${res.statusText}`);
  return data;
}

// el builds an element; children are nodes or strings (set as text, never
// parsed as markup).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'href') e.setAttribute('href', safeHref(v));
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// safeHref keeps links on this site.
export function safeHref(v) {
  return typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') ? v : '#';
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
