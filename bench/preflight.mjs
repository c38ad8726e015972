// Preflight cost against a real S3 server (s3s-fs, SigV4 verified) on loopback: requests, bytes read
// and wall time for 1, 8 and 64 stripes, as ratios to a lone ranged GET (a 1-file preflight), next to
// the same ranged GETs signed by aws4fetch and sent with plain fetch (8 at a time, bodies read) in the
// same run, and to the package's own share: the same preflight over an in-memory fetch (signing,
// copying each body into wasm, parsing the headers, judging the set — no network).
// Runs of all variants are interleaved so machine noise hits them alike. A second table: the cost per
// file of each kind of backup with the default reads (first and last 64 KiB, one more 64 KiB read per
// later backup set) and with `tail: false`, and the header parse alone (`inspect`, plain vs
// compressed: the LZ77+Huffman decoding). Writes bench/results/preflight.md.
import { writeFileSync } from 'node:fs';
import { AwsClient } from 'aws4fetch';
import { readFileSync } from 'node:fs';
import { inspect, preflight } from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../tests/support/s3-server.mjs';
import { writeBackupFixtures } from '../tests/js/support/fixtures-bak.mjs';
import { markdownTable, msSpread, summarize, throughput, today } from './measure.mjs';

const RUNS = 21;
const WARMUPS = 2;
const CONCURRENCY = 8;
const HEADER_BYTES = 65_536;

const fixtures = new Map(writeBackupFixtures().files);
fixtures.set('real/TutorialDB-compressed.bak', readFileSync(new URL('../tests/fixtures/TutorialDB-compressed.bak', import.meta.url)));
const s3 = await startS3Server();
for (const [path, bytes] of fixtures) s3.put('backups', path, bytes);
const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/wide/';
const keys = (n) => Array.from({ length: n }, (_, i) => `wide/wide-${String(i + 1).padStart(2, '0')}of64.bak`);
const files = (n) => keys(n).map((key) => ({ path: `s3://object.storage.eu01.onstackit.cloud/backups/${key}` }));
const ours = (n, fetch) => preflight({ fetch, concurrency: CONCURRENCY, s3: { bucket, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint, files: files(n) } });
const oneFile = (key, options) => preflight({ ...options, s3: { bucket: 's3://object.storage.eu01.onstackit.cloud/backups/', accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint, files: [{ path: `s3://object.storage.eu01.onstackit.cloud/backups/${key}` }] } });

// A Response-shaped answer from memory: what S3 would send for the ranged GET, without the network.
// The Range header is honoured (`bytes=a-b` and the suffix form `bytes=-n`).
const inMemory = async (url, init) => {
  const bytes = fixtures.get(decodeURIComponent(new URL(url).pathname.replace(/^\/backups\//, '')));
  const range = /bytes=(\d*)-(\d*)/.exec(init?.headers?.range ?? init?.headers?.Range ?? '') ?? [];
  const start = range[1] ? Number(range[1]) : Math.max(0, bytes.length - Number(range[2] || bytes.length));
  const end = range[1] && range[2] ? Math.min(bytes.length, Number(range[2]) + 1) : bytes.length;
  const body = bytes.subarray(start, end);
  return {
    status: 206,
    headers: { get: (name) => (name === 'content-range' ? `bytes ${start}-${start + body.length - 1}/${bytes.length}` : null) },
    arrayBuffer: async () => body.slice().buffer,
  };
};

const aws = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'eu01' });
async function aws4fetchReads(n) {
  const queue = keys(n);
  let bytes = 0;
  const worker = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      const response = await aws.fetch(`${s3.endpoint}/backups/${key}`, { headers: { range: `bytes=0-${HEADER_BYTES - 1}` } });
      if (response.status !== 206) throw new Error(`aws4fetch GET ${key}: HTTP ${response.status}`);
      bytes += (await response.arrayBuffer()).byteLength;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return bytes;
}

const variants = {
  ours: (n) => ours(n),
  aws4fetch: (n) => aws4fetchReads(n),
  cpu: (n) => ours(n, inMemory),
};
const rows = [];
for (const n of [1, 8, 64]) {
  const samples = { ours: [], aws4fetch: [], cpu: [] };
  let last;
  for (let run = 0; run < WARMUPS + RUNS; run += 1) {
    for (const [name, fn] of Object.entries(variants)) {
      const start = performance.now();
      const result = await fn(n);
      const ms = performance.now() - start;
      if (name === 'ours') last = result;
      if (run >= WARMUPS) samples[name].push(ms);
    }
  }
  if (last.report.files.some((f) => f.status !== 'read')) throw new Error('every file must be read');
  rows.push({ n, requests: last.requests, bytes: last.bytesRead, ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) });
}

// One file of each kind, default reads vs `tail: false`.
const kinds = [
  ['plain full, 600 KiB', 'single/full.bak', {}],
  ['plain full, head only (tail: false)', 'single/full.bak', { tail: false }],
  ['compressed (real SQL Server 2016), 421 KiB', 'real/TutorialDB-compressed.bak', {}],
  ['compressed, head only (tail: false)', 'real/TutorialDB-compressed.bak', { tail: false }],
  ['6 backup sets appended', 'production/appended-6sets.bak', {}],
];
const kindRows = [];
for (const [label, key, options] of kinds) {
  const wall = [];
  const cpu = [];
  let last;
  for (let run = 0; run < WARMUPS + RUNS; run += 1) {
    let start = performance.now();
    last = await oneFile(key, options);
    if (run >= WARMUPS) wall.push(performance.now() - start);
    start = performance.now();
    await oneFile(key, { ...options, fetch: inMemory });
    if (run >= WARMUPS) cpu.push(performance.now() - start);
  }
  if (last.report.files[0].status !== 'read') throw new Error(`${key} must be read`);
  kindRows.push([label, last.requests, last.bytesRead, last.report.files[0].backupSets?.length ?? '–', msSpread(summarize(wall)), msSpread(summarize(cpu))]);
}
await s3.stop();

// The header parse alone, in wasm: a plain header vs a compressed one (decoding its first records).
const plainHead = fixtures.get('single/full.bak').subarray(0, HEADER_BYTES);
const compressedHead = fixtures.get('real/TutorialDB-compressed.bak').subarray(0, HEADER_BYTES);
const parseRate = { plain: await throughput(() => inspect(plainHead)), compressed: await throughput(() => inspect(compressedHead)) };
const perCall = (rate) => `${(1e6 / rate.median).toFixed(0)} µs`;

const [lone] = rows;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
const table = markdownTable(
  ['files', 'requests', 'bytes read', 'preflight wall time', 'vs one lone ranged GET', 'aws4fetch + fetch, same GETs', 'its vs its lone GET', 'preflight vs aws4fetch', 'package CPU share (in-memory fetch)'],
  rows.map((r) => [
    r.n, r.requests, r.bytes, msSpread(r.ours), ratio(r.ours.median, lone.ours.median),
    msSpread(r.aws4fetch), ratio(r.aws4fetch.median, lone.aws4fetch.median), ratio(r.ours.median, r.aws4fetch.median), msSpread(r.cpu),
  ]),
);
const kindTable = markdownTable(['file', 'requests', 'bytes read', 'backup sets seen', 'wall time (s3s-fs)', 'package CPU share (in-memory fetch)'], kindRows);
const markdown = `## Preflight: cost per stripe set (s3s-fs on loopback, ${today()})

Each file costs one signed ranged GET of 64 KiB (the fixtures are smaller, so S3 sends the whole
object); ${CONCURRENCY} run at a time. Median of ${RUNS} runs after ${WARMUPS} warm-ups (spread: half the min–max
range); the three variants are interleaved run by run. "aws4fetch + fetch" sends the same GETs, signed
by aws4fetch, ${CONCURRENCY} at a time, and reads the bodies. "Package CPU share" is the same preflight over an
in-memory fetch: signing, copying the bodies into wasm, parsing the headers and judging the set.

${table}

Where the time goes. An earlier version of this table (2026-11-25) showed 8 files taking ~7× and 64
files ~42× one lone GET (6.5 / 47 / 276 ms) and asked whether that was the package. It is not:
- the package's own work — signing, copying each body into wasm, parsing the header, judging the set —
  is the last column: well under a millisecond per file;
- the same GETs signed by aws4fetch and sent with plain fetch take the same wall time (the "preflight vs
  aws4fetch" column is around 1×, within the spreads);
- one GET after another to s3s-fs shows sporadic ~40 ms stalls (the Linux delayed-ACK timeout) on
  bodies of tens of KiB and none on 100-byte bodies, for aws4fetch as much as for the package: a lone
  GET's median is 1–2 ms when no stall hits and ~40 ms when one does, so the lone-GET ratios swing
  from run to run (and the medians with them, by whether stalls hit a run).
So nothing was changed in the bindings; the fair measure is the "preflight vs aws4fetch" column.

## Preflight: cost per file by kind of backup (${today()})

By default the preflight reads a file's first and last 64 KiB (two ranged GETs; one when the first read
already holds the whole object) and 64 KiB at each later backup set the end's filemark table lists;
\`tail: false\` reads the first 64 KiB only. Same method as above (median of ${RUNS} runs).

${kindTable}

The header parse alone (\`inspect\` of the first 64 KiB, in wasm, Node): a plain header
${perCall(parseRate.plain)} per call, a compressed one ${perCall(parseRate.compressed)} (decoding the LZ77+Huffman records
that hold TAPE, SSET, VOLB and MSCI).
`;
writeFileSync(new URL('./results/preflight.md', import.meta.url), markdown);
console.log(markdown);
