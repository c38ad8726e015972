// Upload throughput and memory against a real S3 server (s3s-fs, SigV4 verified) on loopback: this
// package (verified, the default: each part's SHA-256 signed, checked by the server; and unverified:
// UNSIGNED-PAYLOAD, parts sent unhashed) versus @aws-sdk/lib-storage
// `Upload`, same part size (8 MiB) and parallelism (4), each upload in its own process (peak RSS:
// VmHWM of /proc/self/status). A 512 MiB file, then a 2 GiB sparse file, 3 alternating runs each: the
// 2 GiB runs report RSS above the start against parallelism × part size + 64 MiB and the throughput
// ratio to lib-storage (issue #18's goal). Writes bench/results/upload.md.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server } from '../tests/support/s3-server.mjs';
import { writeBackupFixtures } from '../tests/js/support/fixtures-bak.mjs';
import { largeBackup } from '../tests/js/support/upload-cases.mjs';

const MIB = 2 ** 20;
const PART = 8 * MIB;
const PARALLEL = 4;
const s3 = await startS3Server();
s3.bucket('bench');
const dir = mkdtempSync(join(tmpdir(), 'ssfr-bench-upload-'));
const header = writeBackupFixtures().files.get('single/full.bak');

// Written 8 MiB at a time, keeping this process small.
const noisy = join(dir, 'noisy.bak');
const out = openSync(noisy, 'w');
for (let i = 0; i < 64; i += 1) writeSync(out, largeBackup(i === 0 ? header : new Uint8Array(0), 8 * MIB, 21 + i));
closeSync(out);
const sparse = join(dir, 'sparse.bak');
const fd = openSync(sparse, 'w');
writeSync(fd, header.subarray(0, 65_536));
ftruncateSync(fd, 2048 * MIB);
closeSync(fd);

function once(tool, file, payload) {
  const worker = fileURLToPath(new URL('./upload-worker.mjs', import.meta.url));
  const args = [worker, tool, file, s3.endpoint, `${tool}-${payload ?? 'default'}.bak`, String(PART), String(PARALLEL), payload ?? 'sha256'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${tool} upload failed: ${run.stderr}`);
  rmSync(join(s3.root, 'bench'), { recursive: true, force: true });
  s3.bucket('bench');
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

const VERIFIED = 'this package, verified: SHA-256 per part, checked by the server (default)';
const UNVERIFIED = "this package, unverified: UNSIGNED-PAYLOAD (payload: 'unsigned')";
const contenders = [
  ['package', 'sha256', VERIFIED],
  ['package', 'unsigned', UNVERIFIED],
  ['lib-storage', undefined, '@aws-sdk/lib-storage Upload (defaults)'],
];
const runs = new Map(contenders.map((c) => [c[2], []]));
for (let i = 0; i < 3; i += 1) for (const [tool, payload, label] of contenders) runs.get(label).push(once(tool, noisy, payload));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianMs = (label, of = runs) => median(of.get(label).map((x) => x.ms));
const LIB = contenders[2][2];
const rows = contenders.map(([, , label]) => {
  const r = runs.get(label);
  const ms = medianMs(label);
  return `| ${label} | ${(512 / (ms / 1000)).toFixed(0)} MiB/s | ${(medianMs(LIB) / ms).toFixed(2)}× | ${(ms / 1000).toFixed(2)} s | ${Math.max(...r.map((x) => x.maxRssMiB)).toFixed(0)} MiB |`;
});
const integrityRatio = medianMs(UNVERIFIED) / medianMs(VERIFIED);

// The measure: a 2 GiB file, peak RSS above the process's RSS before the upload against
// parallelism × part size + 64 MiB, and throughput against lib-storage's in the same run.
const BUDGET_MIB = (PARALLEL * PART) / MIB + 64;
const bigRuns = new Map(contenders.map((c) => [c[2], []]));
for (let i = 0; i < 3; i += 1) for (const [tool, payload, label] of contenders) bigRuns.get(label).push(once(tool, sparse, payload));
await s3.stop();
rmSync(dir, { recursive: true, force: true });
const bigRows = contenders.map(([, , label]) => {
  const r = bigRuns.get(label);
  const ms = medianMs(label, bigRuns);
  const above = r.map((x) => x.maxRssMiB - x.rssBeforeMiB);
  const worst = Math.max(...above);
  const overTime = r.find((x) => x.ms === ms).rssOverTimeMiB.map((a) => a.toFixed(0)).join(' · ');
  return `| ${label} | ${(2048 / (ms / 1000)).toFixed(0)} MiB/s | ${(medianMs(LIB, bigRuns) / ms).toFixed(2)}× | ${median(r.map((x) => x.rssBeforeMiB)).toFixed(0)} MiB | ${Math.max(...r.map((x) => x.maxRssMiB)).toFixed(0)} MiB | ${above.map((a) => a.toFixed(0)).join(', ')} MiB | ${overTime} MiB | ${worst <= BUDGET_MIB ? 'yes' : 'no'} |`;
});

const table = `## Upload: throughput and memory (s3s-fs on loopback, ${new Date().toISOString().slice(0, 10)})

Part size 8 MiB, 4 parts in parallel for both; each upload in its own Node process. s3s-fs writes
every part to disk and copies them into the object on completion, so the server, sharing the
machine's cores, bounds the rates; they compare the clients, not a network.

2 GiB sparse file, 3 alternating runs each: throughput is the median, vs lib-storage its ratio to
lib-storage's median in this run; memory is the peak RSS (VmHWM) above the RSS before the upload,
each run's, against the budget parallelism × part size + 64 MiB = ${BUDGET_MIB} MiB. Over time: RSS
above the start at ¼, ½ and ¾ of the median run and at its end; flat means the memory is reused, not
accumulated.

| client | throughput | vs lib-storage | RSS before | peak RSS | above start (each run) | over time (¼ · ½ · ¾ · end) | within ${BUDGET_MIB} MiB |
|---|---|---|---|---|---|---|---|
${bigRows.join('\n')}

512 MiB file of backup-like data, median of 3 alternating runs:

| client | throughput | vs lib-storage | time | peak RSS |
|---|---|---|---|---|
${rows.join('\n')}

Verification costs: the verified upload runs at ${integrityRatio.toFixed(2)}× the unverified one's throughput (each
part is read into a reused buffer and hashed there by node:crypto before it is sent; the server
checks every body against its signed hash, and the package checks the completed object's ETag
against its parts'). In Node, parts are read into buffers reused from part to part and handed to
fetch without a copy, so no ArrayBuffer is allocated per part; a fresh one per part (or per 64 KiB
chunk of a streamed Blob) is freed only by V8's external-memory GC, tens of MiB later.
`;
writeFileSync(new URL('./results/upload.md', import.meta.url), table);
console.log(table);
