#!/usr/bin/env node
// Lighthouse performance on a phone (issue 16): starts dure (demo district, temp database) through
// tests/lib/server.mjs, runs Lighthouse's default mobile audit (Moto G Power screen, simulated slow
// 4G: 150 ms RTT, 1.6 Mbps down, 4x CPU slowdown) with Debian's Chromium against the home page and
// /services, and prints the performance score (median of LH_RUNS, default 3), FCP, LCP, TBT, CLS,
// the bytes transferred, any request that failed (status >= 400) and any console error. Target:
// performance >= 90 on both pages. Prints figures, never fails on them; not part of `make test`.
//
//   cd bench/lighthouse && npm install && node run.mjs
//
// Env: DURE_BIN, CHROMIUM_PATH (/usr/bin/chromium), LH_RUNS (3), LH_PAGES ("/,/services").
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startServer } from '../../tests/lib/server.mjs';
import { stopOnSignal } from '../_lib.mjs';

const RUNS = Math.max(1, Math.min(9, Number(process.env.LH_RUNS || 3)));
const PAGES = (process.env.LH_PAGES || '/,/services').split(',');
const server = await startServer();
const stop = stopOnSignal(server);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${(x / 1000).toFixed(2)} s`;
let exitCode = 0;
try {
  console.log(`Lighthouse ${RUNS} run(s) per page, mobile, simulated slow 4G, ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'}`);
  for (const path of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await lighthouse(`${server.url}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'best-practices'] });
      const a = r.lhr.audits;
      const failed = (a['network-requests']?.details?.items || []).filter((x) => x.statusCode >= 400 || x.statusCode === -1)
        .map((x) => `${x.statusCode} ${x.url.replace(server.url, '')}`);
      const consoleErrors = (a['errors-in-console']?.details?.items || []).map((x) => x.description || x.source);
      runs.push({
        score: Math.round((r.lhr.categories.performance.score || 0) * 100),
        fcp: a['first-contentful-paint'].numericValue, lcp: a['largest-contentful-paint'].numericValue,
        tbt: a['total-blocking-time'].numericValue, cls: a['cumulative-layout-shift'].numericValue,
        bytes: a['total-byte-weight'].numericValue, failed, consoleErrors,
        blocking: (a['render-blocking-resources']?.details?.items || []).map((x) => x.url.replace(server.url, '')),
      });
    }
    const m = runs.find((x) => x.score === median(runs.map((y) => y.score)));
    console.log(`\n${path}`);
    console.log(`  performance   ${m.score} (runs: ${runs.map((x) => x.score).join(', ')}; target >= 90)`);
    console.log(`  FCP ${ms(m.fcp)}  LCP ${ms(m.lcp)}  TBT ${Math.round(m.tbt)} ms  CLS ${m.cls.toFixed(3)}`);
    console.log(`  transferred   ${(m.bytes / 1024).toFixed(0)} KiB`);
    console.log(`  render-blocking ${m.blocking.length ? m.blocking.join(', ') : 'none'}`);
    console.log(`  failed requests ${m.failed.length ? m.failed.join(', ') : 'none'}`);
    console.log(`  console errors  ${m.consoleErrors.length ? m.consoleErrors.join(' | ') : 'none'}`);
  }
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await chrome.kill();
  await stop();
}
process.exit(exitCode);
