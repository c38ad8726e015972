// `npm run bench`: builds the package, then runs every benchmark, one process each; each writes
// bench/results/<name>.md, and RESULTS.md collects them with the date, the machine and its load.
// `node bench/run.mjs NAME…` runs only the named benchmarks and collects all results again; the
// header then says which ran; the other sections keep the results of earlier runs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, linkPackage } from '../tools/build.mjs';

const benches = ['package-size', 'cold-start', 'sigv4', 'validate', 'preflight', 'waiter', 'upload'];
const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !benches.includes(name));
if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')} (there are: ${benches.join(', ')})`);
const toRun = selected.length > 0 ? benches.filter((name) => selected.includes(name)) : benches;

linkPackage(await build());
const load = loadavg()[0].toFixed(1);
for (const name of toRun) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(`./${name}.mjs`, import.meta.url))], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`bench ${name} failed`);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, `
  + `load average ${load} at the start (other work on the machine widens the spreads)`;
const ran = toRun.length === benches.length ? '' : ` This run: ${toRun.join(', ')}; the other sections keep the results of earlier runs.`;
const sections = benches.map((name) => readFileSync(new URL(`./results/${name}.md`, import.meta.url), 'utf8').trim());
writeFileSync(new URL('./RESULTS.md', import.meta.url),
  `# Benchmark results\n\n${new Date().toISOString().slice(0, 10)}, ${machine}.${ran}\n\n${sections.join('\n\n')}\n`);
console.log('wrote bench/RESULTS.md');
