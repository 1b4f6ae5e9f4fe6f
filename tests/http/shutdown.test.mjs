// Graceful shutdown: on SIGTERM the server stops accepting, finishes the requests in flight
// (logins hashing with argon2id), closes idle keep-alive connections and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
import { rawConnect, parseResponses, sleep } from './_client.mjs';

// Connects and sends a request; resolves to what happened: refused, closed without an answer,
// or answered (which is the failure case after SIGTERM).
function probe(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); resolve({ outcome: data ? 'answered' : 'hung', data }); }, 3000);
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n'));
    sock.on('data', (d) => { data += d; });
    sock.on('error', (e) => { clearTimeout(timer); resolve({ outcome: e.code === 'ECONNREFUSED' ? 'refused' : `error ${e.code}`, data }); });
    sock.on('close', () => { clearTimeout(timer); resolve({ outcome: data ? 'answered' : 'closed', data }); });
  });
}

test('SIGTERM lets in-flight logins finish, refuses new connections and exits 0', async () => {
  const server = await startServer();
  try {
    const idle = await rawConnect(server.port);
    await idle.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
    await idle.until((c) => parseResponses(c.data).responses.length === 1, 3000);
    assert.ok(!idle.closed, 'idle keep-alive connection open before shutdown');

    const N = 8;
    const conns = [];
    for (let i = 0; i < N; i++) {
      // Right password for odd i, wrong for even i, over different accounts so nothing locks.
      const a = server.accounts[i % server.accounts.length];
      const body = JSON.stringify({ login: a.login, password: i % 2 ? a.password : `wrong-${i}-password` });
      const c = await rawConnect(server.port);
      c.answeredAt = 0;
      c.sock.on('data', () => { if (!c.answeredAt && parseResponses(c.data).responses.length) c.answeredAt = Date.now(); });
      await c.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      conns.push(c);
    }
    await sleep(40);
    const termAt = Date.now();
    server.proc.kill('SIGTERM');
    await sleep(100);
    const during = await probe(server.port);

    for (const c of conns) await c.until((x) => parseResponses(x.data).responses.length >= 1, 15000);
    const statuses = conns.map((c) => parseResponses(c.data).responses[0]?.status);
    for (let i = 0; i < N; i++) {
      assert.equal(statuses[i], i % 2 ? 200 : 401, `in-flight login #${i} completed (statuses ${JSON.stringify(statuses)})`);
    }
    const late = conns.filter((c) => c.answeredAt > termAt).length;
    assert.ok(late > 0, 'at least one login was still in flight at SIGTERM (otherwise this test proves nothing)');

    assert.ok(['refused', 'closed'].includes(during.outcome), `a new connection during the drain is refused/closed, got ${during.outcome} ${during.data.slice(0, 200)}`);
    const afterProbe = await probe(server.port);
    assert.ok(['refused', 'closed'].includes(afterProbe.outcome), `a new connection after the drain is refused, got ${afterProbe.outcome}`);

    const exit = await Promise.race([server.exited, sleep(10000).then(() => null)]);
    assert.ok(exit, 'process exits within 10 s of SIGTERM (idle keep-alive connections must not hold it)');
    assert.deepEqual(exit, { code: 0, signal: null }, `exit status: ${JSON.stringify(exit)}\n${server.stderr().slice(-2000)}`);
    await idle.until((c) => c.closed, 1000);
    assert.ok(idle.closed, 'the idle keep-alive connection was closed');
    for (const c of conns) c.close();
    idle.close();
  } finally {
    await server.stop();
  }
});
