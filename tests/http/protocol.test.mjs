// HTTP/1.1 hardening over real sockets: malformed requests, oversized bodies, slowloris,
// keep-alive, method/path errors, security headers and request ids. One server for the file,
// started with a short (2 s) header deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  call, assertProblem, healthy, rawConnect, rawExchange, parseResponses, sleep,
} from './_client.mjs';

let server;

before(async () => {
  server = await startServer({ extraArgs: ['--header-timeout-ms', '2000'] });
});

after(async () => {
  if (server) await server.stop();
});

// A malformed request must be answered with a 4xx problem (or the connection closed) promptly,
// i.e. well before the 2 s header deadline could be what ended it.
async function expectRejected(raw, label, { allow = [] } = {}) {
  const t0 = Date.now();
  const r = await rawExchange(server.port, raw, { timeoutMs: 1500 });
  const elapsed = Date.now() - t0;
  if (r.responses.length === 0) {
    assert.ok(r.closed, `${label}: neither answered nor closed within 1.5 s (got ${JSON.stringify(r.data.toString('latin1').slice(0, 200))})`);
    assert.ok(elapsed < 1500, `${label}: closed only after ${elapsed} ms`);
    return null;
  }
  const res = r.responses[0];
  assert.ok(!res.invalid, `${label}: unparseable response ${JSON.stringify(res.raw?.slice(0, 200))}`);
  assert.ok((res.status >= 400 && res.status < 500) || allow.includes(res.status),
    `${label}: expected a 4xx, got ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers['content-type'] || '', /^application\/problem\+json/, `${label}: problem+json (${res.status})`);
  const body = JSON.parse(res.text);
  assert.equal(body.status, res.status, `${label}: problem.status`);
  return res;
}

test('malformed request lines are rejected with a 4xx problem or a close, and the server keeps serving', async () => {
  await expectRejected('HELLO THERE THIS IS NOT HTTP\r\n\r\n', 'garbage text');
  await expectRejected(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]), 'TLS ClientHello bytes');
  await expectRejected('GET\r\n\r\n', 'bare GET');
  await expectRejected('GET / HTTP/1.x\r\nHost: a\r\n\r\n', 'bad version syntax');
  await expectRejected('GET / HTTP/9.9\r\nHost: a\r\n\r\n', 'unsupported version', { allow: [505] });
  await expectRejected('GET / HTTP/1.1\r\nHost a\r\n\r\n', 'header without colon');
  await expectRejected('POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n', 'non-numeric Content-Length');
  await expectRejected('GET /\x00x HTTP/1.1\r\nHost: a\r\n\r\n', 'NUL in target');
  await healthy(server);
});

test('a header line over 16 KB gets 431 or 400 (or a close), and the server keeps serving', async () => {
  const raw = `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`;
  const res = await expectRejected(raw, 'huge header');
  if (res) assert.ok([400, 431].includes(res.status), `huge header: ${res.status}`);
  // Many headers that add up to > 16 KB.
  let many = 'GET /healthz HTTP/1.1\r\nHost: a\r\n';
  for (let i = 0; i < 400; i++) many += `X-H${i}: ${'b'.repeat(60)}\r\n`;
  const res2 = await expectRejected(`${many}\r\n`, 'many headers');
  if (res2) assert.ok([400, 431].includes(res2.status), `many headers: ${res2.status}`);
  await healthy(server);
});

// Sends `head` then up to `total` bytes of body in 64 KB writes, stopping as soon as the server
// answers or closes. Returns the first response.
async function sendBig(head, total, chunked) {
  const conn = await rawConnect(server.port);
  await conn.write(head);
  const piece = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  while (sent < total && !conn.closed && conn.data.length === 0) {
    const chunk = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
    if (!(await conn.write(chunk))) break;
    sent += piece.length;
  }
  if (chunked && !conn.closed && conn.data.length === 0) await conn.write('0\r\n\r\n');
  await conn.until((c) => parseResponses(c.data).responses.length > 0, 5000);
  const out = { responses: conn.responses(), closed: conn.closed, sent, error: conn.error };
  conn.close();
  return out;
}

test('a 10 MB body to /api/v1/auth/login gets 413 problem+json, and the server keeps serving', async () => {
  const size = 10 * 1024 * 1024;
  const r = await sendBig(`POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`, size, false);
  assert.ok(r.responses.length > 0, `no response to a 10 MB body (closed=${r.closed}, sent ${r.sent} bytes, error ${r.error?.code})`);
  const res = r.responses[0];
  assert.equal(res.status, 413, `10 MB Content-Length body: ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers['content-type'] || '', /^application\/problem\+json/);
  assert.equal(JSON.parse(res.text).status, 413);
  await healthy(server);

  // The same through fetch(), the way a browser would send it.
  let fr;
  try {
    fr = await call(server, 'POST', '/api/v1/auth/login', { body: Buffer.alloc(size, 'a'), headers: { 'Content-Type': 'application/json' } });
  } catch (e) {
    assert.fail(`fetch of a 10 MB body got no response: ${e.cause?.code || e.message}`);
  }
  assertProblem(fr, 413, 'fetch 10 MB login body');
  await healthy(server);
});

test('a 10 MB chunked body (no Content-Length) gets 413 too', async () => {
  const size = 10 * 1024 * 1024;
  const r = await sendBig('POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n', size, true);
  assert.ok(r.responses.length > 0, `no response to a 10 MB chunked body (closed=${r.closed}, sent ${r.sent})`);
  assert.equal(r.responses[0].status, 413, `chunked 10 MB: ${r.responses[0].status} ${r.responses[0].text.slice(0, 200)}`);
  assert.match(r.responses[0].headers['content-type'] || '', /^application\/problem\+json/);
  await healthy(server);
});

test('slowloris: a header sent one byte per second is cut off by the 2 s header deadline while others are served', async () => {
  const request = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: slowly-slowly-slowly\r\n\r\n';
  const slow = await rawConnect(server.port);
  const idle = await rawConnect(server.port); // connects and never sends a byte
  const start = Date.now();
  const latencies = [];
  const others = (async () => {
    while (Date.now() - start < 6000) {
      const t = Date.now();
      const r = await call(server, 'GET', '/healthz');
      latencies.push(Date.now() - t);
      assert.equal(r.status, 200, 'other clients are served during the slowloris');
      await sleep(250);
    }
  })();
  let i = 0;
  for (; i < 10 && i < request.length && !slow.closed; i++) {
    await slow.write(request[i]);
    await sleep(1000);
  }
  await others;
  assert.ok(slow.closed, `slow client still connected after ${i} bytes in ${Date.now() - start} ms`);
  const cutAfter = slow.closedAt - start;
  assert.ok(cutAfter <= 4500, `slow client cut only after ${cutAfter} ms (header deadline 2000 ms)`);
  for (const res of slow.responses()) assert.ok(res.status >= 400, `slow client must not get a real answer: ${res.status}`);
  await idle.until(() => false, Math.max(0, 4500 - (Date.now() - start)));
  assert.ok(idle.closed, 'a connection that never sends a byte is closed by the header deadline');
  slow.close(); idle.close();
  assert.ok(latencies.length >= 10, `other clients made ${latencies.length} requests`);
  assert.ok(Math.max(...latencies) < 1000, `other clients stayed fast: max ${Math.max(...latencies)} ms`);
  await healthy(server);
});

test('keep-alive: two requests on one socket, sequential and pipelined; Connection: close closes', async () => {
  const conn = await rawConnect(server.port);
  await conn.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
  await conn.until((c) => parseResponses(c.data).responses.length >= 1, 3000);
  await conn.write('GET /readyz HTTP/1.1\r\nHost: a\r\n\r\n');
  await conn.until((c) => parseResponses(c.data).responses.length >= 2, 3000);
  let rs = conn.responses();
  assert.equal(rs.length, 2, `two responses on one socket (closed=${conn.closed}): ${conn.data.toString().slice(0, 500)}`);
  assert.equal(rs[0].status, 200);
  assert.deepEqual(JSON.parse(rs[0].text), { status: 'ok' });
  assert.equal(rs[1].status, 200);
  assert.equal(JSON.parse(rs[1].text).status, 'ready');
  assert.ok(!conn.closed, 'socket stays open after keep-alive responses');

  // Pipelined: both requests in one write, answered in order.
  const before = conn.data.length;
  await conn.write('GET /readyz HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
  await conn.until((c) => parseResponses(c.data.subarray(before)).responses.length >= 2, 3000);
  rs = parseResponses(conn.data.subarray(before)).responses;
  assert.equal(rs.length, 2, 'two pipelined responses');
  assert.equal(JSON.parse(rs[0].text).status, 'ready');
  assert.equal(JSON.parse(rs[1].text).status, 'ok');

  // Connection: close ends the socket after the response.
  const before2 = conn.data.length;
  await conn.write('GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  await conn.until((c) => c.closed, 3000);
  assert.equal(parseResponses(conn.data.subarray(before2)).responses[0]?.status, 200);
  assert.ok(conn.closed, 'server closes after Connection: close');
  conn.close();
});

test('HEAD gets headers without a body, and the connection stays usable', async () => {
  const conn = await rawConnect(server.port);
  await conn.write('HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
  await conn.until((c) => parseResponses(c.data, { headRequest: true }).responses.length >= 1, 3000);
  const head = parseResponses(conn.data, { headRequest: true });
  assert.equal(head.responses[0]?.status, 200, 'HEAD /healthz');
  // If the server wrongly sent a body, it would be read as the start of the next response.
  const afterHead = conn.data.length;
  await conn.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
  await conn.until((c) => parseResponses(c.data.subarray(afterHead)).responses.length >= 1, 3000);
  assert.equal(head.rest.length, 0, `no body after a HEAD response: ${JSON.stringify(head.rest.toString())}`);
  const get = parseResponses(conn.data.subarray(afterHead)).responses[0];
  assert.equal(get?.status, 200, `GET after HEAD on the same socket: ${conn.data.subarray(afterHead).toString().slice(0, 200)}`);
  assert.equal(head.responses[0].headers['content-length'], get.headers['content-length'], 'HEAD announces the GET length');
  conn.close();
});

test('Expect: 100-continue gets an interim 100 before the body is sent', async () => {
  const body = JSON.stringify({ login: 'nobody-100@example.com', password: 'not-the-password-1' });
  const conn = await rawConnect(server.port);
  await conn.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  await conn.until((c) => /^HTTP\/1\.1 100/.test(c.data.toString('latin1')), 2000);
  assert.match(conn.data.toString('latin1'), /^HTTP\/1\.1 100 /, `interim 100 Continue: ${JSON.stringify(conn.data.toString('latin1').slice(0, 100))}`);
  await conn.write(body);
  await conn.until((c) => parseResponses(c.data).responses.some((r) => r.status >= 200), 5000);
  const final = parseResponses(conn.data).responses.find((r) => r.status >= 200);
  assert.equal(final?.status, 401, 'the request itself is then answered');
  conn.close();
});

// RFC 9112 §6.1/§6.3/§5.1: ambiguous framing must be rejected (or, for CL+TE, answered once and
// the connection closed) so that nothing can be smuggled behind the body.
test('request smuggling: ambiguous framing is rejected and nothing is smuggled', async () => {
  const smuggled = 'GET /api/v1/does-not-exist-smuggled HTTP/1.1\r\nHost: a\r\n\r\n';
  const cases = [
    ['CL + TE chunked', `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`],
    ['two different Content-Lengths', `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 60\r\n\r\n{}${smuggled}`],
    ['TE not ending in chunked', `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, identity\r\n\r\n${smuggled}`],
    ['TE gzip only', `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n${smuggled}`],
    ['space before the colon', `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled}`],
  ];
  for (const [label, raw] of cases) {
    const r = await rawExchange(server.port, raw, { timeoutMs: 2000, count: 2 });
    const statuses = r.responses.map((x) => x.status);
    assert.ok(r.responses.length <= 1, `${label}: a second (smuggled) request was answered: ${JSON.stringify(statuses)}`);
    assert.ok(r.closed, `${label}: the connection must be closed after ambiguous framing (statuses ${JSON.stringify(statuses)})`);
    if (r.responses[0]) assert.ok(r.responses[0].status === 400 || label === 'CL + TE chunked', `${label}: expected 400, got ${statuses}`);
  }
  await healthy(server);
});

test('wrong methods get 405 with Allow; unknown API paths get 404 problem+json', async () => {
  const cases = [
    ['DELETE', '/healthz', ['GET']],
    ['POST', '/readyz', ['GET']],
    ['GET', '/api/v1/auth/login', ['POST']],
    ['PUT', '/api/v1/auth/signup', ['POST']],
    ['PUT', '/api/v1/me', ['GET']],
    ['PATCH', '/api/v1/persons', ['GET', 'POST']],
    ['DELETE', '/api/v1/admin/access-log', ['GET']],
  ];
  for (const [method, p, allowed] of cases) {
    const r = await call(server, method, p, { body: method === 'GET' ? undefined : {} });
    assertProblem(r, 405, `${method} ${p}`);
    const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
    for (const m of allowed) assert.ok(allow.includes(m), `${method} ${p}: Allow "${r.headers.get('allow')}" includes ${m}`);
    assert.ok(!allow.includes(method), `${method} ${p}: Allow must not list ${method}`);
  }
  for (const [method, p] of [['GET', '/api/v1/does-not-exist'], ['POST', '/api/v1/nope'], ['GET', '/api/nothing-here'], ['GET', '/api/v1/persons/1/nope']]) {
    const r = await call(server, method, p, { body: method === 'GET' ? undefined : {} });
    assertProblem(r, 404, `${method} ${p}`);
  }
});

test('security headers are on API and problem responses', async () => {
  for (const p of ['/healthz', '/api/v1/districts', '/api/v1/does-not-exist', '/metrics', '/api/openapi.json']) {
    const r = await call(server, 'GET', p);
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /frame-ancestors/, `${p}: CSP with frame-ancestors, got "${csp}"`);
    assert.equal((r.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${p}: X-Content-Type-Options`);
    assert.ok(r.headers.get('referrer-policy'), `${p}: Referrer-Policy`);
  }
  const login = await call(server, 'POST', '/api/v1/auth/login', { body: { login: 'nobody@example.com', password: 'wrong-password-123' } });
  assert.match(login.headers.get('content-security-policy') || '', /frame-ancestors/, 'CSP on a 401 too');
});

test('X-Request-Id is on every response and echoes a sane client id', async () => {
  const a = await call(server, 'GET', '/healthz');
  const b = await call(server, 'GET', '/healthz');
  const ida = a.headers.get('x-request-id');
  assert.ok(ida, 'generated X-Request-Id');
  assert.notEqual(ida, b.headers.get('x-request-id'), 'request ids differ between requests');

  const mine = 'test-req-4f2a_9.b';
  const c = await call(server, 'GET', '/healthz', { headers: { 'X-Request-Id': mine } });
  assert.equal(c.headers.get('x-request-id'), mine, 'echoes the client request id');
  const d = await call(server, 'GET', '/api/v1/nope', { headers: { 'X-Request-Id': mine } });
  assert.equal(d.headers.get('x-request-id'), mine, 'echoed on errors too');
  assertProblem(d, 404);
  assert.equal(d.json.request_id, mine, 'problem body carries the request id');

  const bad = `<script>${'x'.repeat(1000)}`;
  const e = await call(server, 'GET', '/healthz', { headers: { 'X-Request-Id': bad } });
  const eid = e.headers.get('x-request-id');
  assert.ok(eid, 'a request id even when the client one is not sane');
  assert.notEqual(eid, bad, 'an insane client request id is replaced');

  const m = await rawExchange(server.port, 'GARBAGE\r\n\r\n', { timeoutMs: 1500 });
  if (m.responses[0]) assert.ok(m.responses[0].headers['x-request-id'], 'X-Request-Id even on a 400 for a malformed request');
});
