// Helpers shared by the Node benchmarks: stop the server on Ctrl-C, a millisecond clock,
// percentiles and number formatting.

// Stops `server` once on SIGINT/SIGTERM (and when the returned function is called).
export function stopOnSignal(server) {
  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    await server.stop();
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop().finally(() => process.exit(130)); });
  return stop;
}

export const now = () => Number(process.hrtime.bigint()) / 1e6;

// The p-th percentile (nearest rank) of xs; NaN for none.
export const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
