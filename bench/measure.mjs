// Shared by the benchmarks: warm-ups, several runs, the median and the spread (half the min–max range).

/** `{ median, spread, min, max }` of a list of numbers. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const [min, max] = [sorted[0], sorted[sorted.length - 1]];
  return { median, spread: (max - min) / 2, min, max };
}

/** Wall time (ms) of `fn` over `runs` runs after `warmups` unmeasured ones. */
export async function timeRuns(fn, { warmups = 1, runs = 7 } = {}) {
  for (let i = 0; i < warmups; i += 1) await fn();
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** Calls per second of `fn` (sync or async): `runs` batches of about `batchMs` each, after a warm-up batch. */
export async function throughput(fn, { batchMs = 300, runs = 7 } = {}) {
  let batch = 1;
  // Warm-up that also sizes the batch to take about batchMs.
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < batch; i += 1) await fn();
    const elapsed = performance.now() - start;
    if (elapsed >= batchMs / 2) {
      batch = Math.max(1, Math.round((batch * batchMs) / elapsed));
      break;
    }
    batch *= 4;
  }
  const rates = [];
  for (let r = 0; r < runs; r += 1) {
    const start = performance.now();
    for (let i = 0; i < batch; i += 1) await fn();
    rates.push((batch * 1000) / (performance.now() - start));
  }
  return summarize(rates);
}

export const today = () => new Date().toISOString().slice(0, 10);
export const fixed = (n, digits = 1) => n.toFixed(digits);
/** `12.3 ms (±0.4)` */
export const msSpread = ({ median, spread }) => `${median.toFixed(1)} ms (±${spread.toFixed(1)})`;
/** `123 456/s (±1 234)` */
export const rateSpread = ({ median, spread }) => `${Math.round(median).toLocaleString('en-US')}/s (±${Math.round(spread).toLocaleString('en-US')})`;

/** A Markdown table. */
export function markdownTable(header, rows) {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
