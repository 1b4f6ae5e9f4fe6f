// Static files and the single-page-app fallback, served from a web root the test creates and
// passes with --web-root: index.html for unknown non-API paths, ETag/304 revalidation, long
// immutable caching for /assets/*, no path traversal, security headers on static responses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { call, assertProblem, healthy, rawExchange } from './_client.mjs';

const INDEX_HTML = '<!doctype html><html><head><title>dure test</title></head>'
  + '<body><div id="app" data-marker="spa-fallback-marker-7f3a"></div></body></html>\n';
const ASSET_JS = 'console.log("dure asset 5c1e");\n';

let server;
let webRoot;

before(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'dure-web-'));
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(webRoot, 'assets', 'app-5c1e.js'), ASSET_JS);
  server = await startServer({ extraArgs: ['--web-root', webRoot] });
});

after(async () => {
  if (server) await server.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

test('SPA fallback serves index.html for unknown non-API paths; static files have ETag and 304', async () => {
  for (const p of ['/', '/login', '/persons/42/edit', '/admin/accounts?page=2']) {
    const r = await call(server, 'GET', p);
    assert.equal(r.status, 200, `GET ${p}: ${r.status}`);
    assert.match(r.headers.get('content-type') || '', /^text\/html/, `GET ${p} content type`);
    assert.ok(r.text.includes('spa-fallback-marker-7f3a'), `GET ${p} serves index.html from --web-root`);
    assert.ok(!/immutable/.test(r.headers.get('cache-control') || ''), `index.html must not be cached immutably: ${r.headers.get('cache-control')}`);
  }
  const idx = await call(server, 'GET', '/');
  const idxTag = idx.headers.get('etag');
  assert.ok(idxTag, 'index.html has an ETag');
  const idx304 = await call(server, 'GET', '/', { headers: { 'If-None-Match': idxTag } });
  assert.equal(idx304.status, 304, 'index.html revalidates to 304');
  assert.equal(idx304.text, '');

  const a = await call(server, 'GET', '/assets/app-5c1e.js');
  assert.equal(a.status, 200, `asset: ${a.status}`);
  assert.equal(a.text, ASSET_JS);
  assert.match(a.headers.get('content-type') || '', /javascript/, 'asset content type');
  const tag = a.headers.get('etag');
  assert.ok(tag, 'asset has an ETag');
  const cc = a.headers.get('cache-control') || '';
  assert.match(cc, /immutable/, `assets are immutable: "${cc}"`);
  const maxAge = Number((/max-age=(\d+)/.exec(cc) || [])[1] || 0);
  assert.ok(maxAge >= 30 * 24 * 3600, `assets cached for a long time: "${cc}"`);
  const a304 = await call(server, 'GET', '/assets/app-5c1e.js', { headers: { 'If-None-Match': tag } });
  assert.equal(a304.status, 304, 'asset revalidates to 304 on If-None-Match');
  assert.equal(a304.text, '');
  assert.equal(a304.headers.get('etag'), tag, '304 repeats the ETag');
  const a200 = await call(server, 'GET', '/assets/app-5c1e.js', { headers: { 'If-None-Match': '"something-else"' } });
  assert.equal(a200.status, 200, 'a different ETag gets the full file');
});

test('path traversal never escapes the web root', async () => {
  for (const target of ['/../../../../etc/passwd', '/assets/../../../../etc/passwd', '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd']) {
    const r = await rawExchange(server.port, `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`, { timeoutMs: 3000 });
    const text = r.data.toString('latin1');
    assert.ok(!/root:.*:0:0:/.test(text), `${target} leaked /etc/passwd`);
    if (r.responses[0]) assert.ok(r.responses[0].status !== 500, `${target}: ${r.responses[0].status}`);
  }
  await healthy(server);
});

test('security headers are on static and SPA responses too', async () => {
  for (const p of ['/', '/some/spa/route', '/assets/app-5c1e.js']) {
    const r = await call(server, 'GET', p);
    assert.equal(r.status, 200, `${p}: ${r.status}`);
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /frame-ancestors/, `${p}: CSP with frame-ancestors, got "${csp}"`);
    assert.equal((r.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${p}: X-Content-Type-Options`);
    assert.ok(r.headers.get('referrer-policy'), `${p}: Referrer-Policy`);
    assert.ok(r.headers.get('x-request-id'), `${p}: X-Request-Id`);
  }
});

test('API paths never fall back to the SPA', async () => {
  for (const p of ['/api/v1/not-a-route', '/api/', '/api']) {
    const r = await call(server, 'GET', p);
    assertProblem(r, 404, p);
    assert.ok(!r.text.includes('spa-fallback-marker'), `${p} must not serve index.html`);
  }
});
