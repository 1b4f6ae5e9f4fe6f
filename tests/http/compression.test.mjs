// Text files of the web UI are sent gzip-compressed to clients that accept it (old phones on
// slow links), with a validator of their own; clients that do not ask get the plain bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';

const CSS = '.krds-btn { color: #256ef4; }\n'.repeat(400);
let server;
let webRoot;

before(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'dure-web-gz-'));
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(webRoot, 'assets', 'app.css'), CSS);
  server = await startServer({ demo: false, extraArgs: ['--web-root', webRoot] });
});

after(async () => {
  if (server) await server.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

// Raw GET (fetch would decompress silently and hide what was sent).
function get(p, headers) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path: p, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('gzip is sent only when asked for, and decompresses to the same bytes', async () => {
  const gz = await get('/assets/app.css', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary || '', /Accept-Encoding/i);
  assert.ok(gz.body.length < CSS.length / 5, `compressed ${gz.body.length} of ${CSS.length} bytes`);
  assert.equal(zlib.gunzipSync(gz.body).toString(), CSS);

  const plain = await get('/assets/app.css', {});
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), CSS);
  assert.notEqual(plain.headers.etag, gz.headers.etag, 'each representation has its own ETag');

  const again = await get('/assets/app.css', { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
  assert.equal(again.status, 304);
  const refused = await get('/assets/app.css', { 'Accept-Encoding': 'gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
});
