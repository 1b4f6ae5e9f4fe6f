// Small HTTP helpers shared by the tests in this folder: a JSON client with a session (cookie +
// CSRF token), a raw-socket client for requests fetch() refuses to send, and a tiny HTTP/1.1
// response parser. Node standard library only. Not a test file itself (no `.test.` in the name).
import assert from 'node:assert/strict';
import net from 'node:net';

export const PROBLEM = 'application/problem+json';

// One HTTP call with fetch. `session` = {cookie, csrf} sends the cookie (and, with csrf: true,
// the X-CSRF-Token header). `body` objects are sent as JSON; strings/Buffers are sent raw.
export async function call(base, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  let body = opts.body;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (opts.session) {
    headers.Cookie = opts.session.cookie;
    if (opts.csrf !== false && opts.session.csrf && !['GET', 'HEAD'].includes(method)) headers['X-CSRF-Token'] = opts.session.csrf;
  }
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  const url = base.url ? base.url + path : base + path;
  let res;
  try {
    res = await fetch(url, { method, headers, body, redirect: 'manual' });
  } catch (e) {
    // A kept-alive connection that the server closed after its 30 s idle timeout while this process
    // could not notice (blocked in execFileSync, e.g. `dure export` on a busy machine) fails the next
    // request with "other side closed" (or EPIPE when the write comes first). As browsers do (RFC 9112
    // §9.3.1), an idempotent request is retried once on a new connection; a second failure, or any
    // other method, is reported.
    if (!(['GET', 'HEAD'].includes(method) && ['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'].includes(e?.cause?.code))) throw e;
    res = await fetch(url, { method, headers, body, redirect: 'manual' });
  }
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json, setCookies: res.headers.getSetCookie() };
}

// Asserts the response is an RFC 9457 problem with the given status; returns the parsed body.
export function assertProblem(r, status, what = '') {
  const ctx = `${what} → ${r.status} ${r.headers.get('content-type')} ${r.text.slice(0, 300)}`;
  if (Array.isArray(status)) assert.ok(status.includes(r.status), `expected one of ${status}: ${ctx}`);
  else assert.equal(r.status, status, `expected ${status}: ${ctx}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `problem content type: ${ctx}`);
  assert.ok(r.json && typeof r.json === 'object', `problem body is JSON: ${ctx}`);
  assert.equal(r.json.status, r.status, `problem.status equals HTTP status: ${ctx}`);
  assert.equal(typeof r.json.title, 'string', `problem.title: ${ctx}`);
  assert.equal(typeof r.json.type, 'string', `problem.type: ${ctx}`);
  return r.json;
}

// The field names in a problem's errors[] (asserts errors[] exists and is well formed).
export function errorFields(problem, what = '') {
  assert.ok(Array.isArray(problem.errors), `errors[] present: ${what} ${JSON.stringify(problem)}`);
  for (const e of problem.errors) {
    assert.equal(typeof e.field, 'string', `errors[].field is a string: ${JSON.stringify(e)}`);
    assert.equal(typeof e.code, 'string', `errors[].code is a string: ${JSON.stringify(e)}`);
  }
  return problem.errors.map((e) => e.field);
}

// Extracts `dure_session=...` from Set-Cookie headers.
export function sessionCookie(setCookies) {
  const c = setCookies.find((s) => /^dure_session=/.test(s));
  return c;
}

// Logs in; asserts 200 and returns {cookie, csrf, account, raw}.
export async function login(base, loginName, password) {
  const r = await call(base, 'POST', '/api/v1/auth/login', { body: { login: loginName, password } });
  assert.equal(r.status, 200, `login ${loginName}: ${r.status} ${r.text.slice(0, 300)}`);
  const sc = sessionCookie(r.setCookies);
  assert.ok(sc, `login sets dure_session: ${JSON.stringify(r.setCookies)}`);
  assert.equal(typeof r.json.csrf_token, 'string', 'login returns csrf_token');
  return { cookie: sc.split(';')[0], csrf: r.json.csrf_token, account: r.json.account, raw: r };
}

export async function loginAs(server, role) {
  const a = server.account(role);
  assert.ok(a, `demo has an account with role ${role}: ${JSON.stringify(server.accounts.map((x) => x.role))}`);
  const s = await login(server, a.login, a.password);
  return { ...s, demo: a };
}

export async function healthy(base) {
  const r = await call(base, 'GET', '/healthz');
  assert.equal(r.status, 200, `/healthz still answers: ${r.status} ${r.text}`);
}

// Parses every complete HTTP/1.x response at the start of `buf` (Content-Length, chunked, or
// no body for 1xx/204/304). Returns {responses, rest}.
export function parseResponses(buf, { headRequest = false } = {}) {
  const responses = [];
  let off = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', off);
    if (end < 0) break;
    const head = buf.subarray(off, end).toString('latin1');
    const [statusLine, ...lines] = head.split('\r\n');
    const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) { responses.push({ invalid: true, raw: buf.subarray(off).toString('latin1') }); off = buf.length; break; }
    const headers = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0) {
        const k = l.slice(0, i).trim().toLowerCase();
        headers[k] = headers[k] !== undefined ? `${headers[k]}, ${l.slice(i + 1).trim()}` : l.slice(i + 1).trim();
      }
    }
    const status = Number(m[2]);
    let p = end + 4;
    let body = Buffer.alloc(0);
    if (headRequest || status === 204 || status === 304 || status < 200) {
      // no body
    } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
      const parts = [];
      let done = false;
      for (;;) {
        const le = buf.indexOf('\r\n', p);
        if (le < 0) break;
        const size = parseInt(buf.subarray(p, le).toString('latin1'), 16);
        if (Number.isNaN(size)) break;
        if (size === 0) {
          const te = buf.indexOf('\r\n\r\n', le);
          if (te < 0) break;
          p = te + 4; done = true; break;
        }
        if (buf.length < le + 2 + size + 2) break;
        parts.push(buf.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      if (!done) break;
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (buf.length < p + n) break;
      body = buf.subarray(p, p + n);
      p += n;
    } else {
      // Body until close: only complete when the caller knows the socket closed.
      body = buf.subarray(p);
      p = buf.length;
    }
    responses.push({ version: m[1], status, reason: m[3] || '', headers, body, text: body.toString('utf8') });
    off = p;
  }
  return { responses, rest: buf.subarray(off) };
}

// A raw TCP connection that records everything received and when it closed.
export function rawConnect(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host });
    const conn = {
      sock, data: Buffer.alloc(0), closed: false, closedAt: 0, error: null,
      waiters: [],
      write(d) {
        return new Promise((res) => {
          if (sock.destroyed || !sock.writable) return res(false);
          sock.write(d, (err) => res(!err));
        });
      },
      // Resolves when pred(conn) is true, the socket closes, or the timeout passes.
      until(pred, timeoutMs) {
        return new Promise((res) => {
          if (pred(conn) || conn.closed) return res(pred(conn));
          const w = { pred, res, timer: setTimeout(() => { conn.waiters = conn.waiters.filter((x) => x !== w); res(false); }, timeoutMs) };
          conn.waiters.push(w);
        });
      },
      close() { sock.destroy(); },
      responses(opts) { return parseResponses(conn.data, opts).responses; },
    };
    const wake = () => {
      for (const w of [...conn.waiters]) {
        if (conn.closed || w.pred(conn)) { clearTimeout(w.timer); conn.waiters = conn.waiters.filter((x) => x !== w); w.res(w.pred(conn)); }
      }
    };
    sock.on('data', (d) => { conn.data = Buffer.concat([conn.data, d]); wake(); });
    sock.on('error', (e) => { conn.error = e; });
    sock.on('close', () => { conn.closed = true; conn.closedAt = Date.now(); wake(); });
    sock.once('connect', () => resolve(conn));
    sock.once('error', (e) => { if (!sock.connecting) return; reject(e); });
  });
}

// Sends `data` on a fresh connection and waits until the server closes or answers completely
// (at least `count` responses), at most timeoutMs. Returns {responses, closed, data, error}.
export async function rawExchange(port, data, { timeoutMs = 5000, count = 1, headRequest = false } = {}) {
  const conn = await rawConnect(port);
  await conn.write(data);
  await conn.until((c) => parseResponses(c.data, { headRequest }).responses.length >= count, timeoutMs);
  // A response without Content-Length only ends at close: give it a moment.
  if (!conn.closed) await conn.until(() => false, 200);
  const out = { responses: conn.responses({ headRequest }), closed: conn.closed, data: conn.data, error: conn.error };
  conn.close();
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// District and a dong from the public catalogue, for bodies that need ids.
export async function districts(base) {
  const r = await call(base, 'GET', '/api/v1/districts');
  assert.equal(r.status, 200, `/api/v1/districts: ${r.status} ${r.text}`);
  assert.ok(Array.isArray(r.json) && r.json.length > 0, `districts list non-empty: ${r.text}`);
  return r.json;
}
