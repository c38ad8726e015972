// Cold start in Node: a fresh process that imports the package, initialises it (the wasm is compiled
// and instantiated at import) and builds + validates one import request, against `node -e 0` and
// against the same script that also imports @aws-sdk/client-s3 (and creates its client), which is
// what a user of the AWS SDK pays on top. The runs of the three are interleaved so machine noise
// hits all alike. Writes bench/results/cold-start.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownTable, msSpread, summarize, today } from './measure.mjs';

const RUNS = 15;
const WARMUPS = 2;
const root = fileURLToPath(new URL('..', import.meta.url));

const work = `
const options = { projectId: '11111111-1111-4111-8111-111111111111', region: 'eu01', token: 't' };
const bucket = 's3://object.storage.eu01.onstackit.cloud/b/';
const input = { instanceId: '22222222-2222-4222-8222-222222222222', databaseName: 'db', databaseOwner: 'o',
  s3: { bucket, accessKey: 'AK', secretKey: 'SK', files: [{ path: bucket + 'db.bak' }] } };
if (!validateImport(input, options).ok || !buildImportRequest(options, input).url) process.exit(1);`;
const scripts = [
  ['`node -e 0`', '0'],
  ['import + init + validate + build one import request', `import { validateImport, buildImportRequest } from 'sqlserverflex-restore';${work}`],
  ['the same, plus `import { S3Client }` from @aws-sdk/client-s3 and `new S3Client()`',
    `import { validateImport, buildImportRequest } from 'sqlserverflex-restore';
     import { S3Client } from '@aws-sdk/client-s3';${work}
     new S3Client({ region: 'eu01', endpoint: 'https://object.storage.eu01.onstackit.cloud', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });`],
];

const spawnMs = (code) => {
  const start = performance.now();
  execFileSync(process.execPath, code === '0' ? ['-e', '0'] : ['--input-type=module', '-e', code], { cwd: root, stdio: 'ignore' });
  return performance.now() - start;
};
const samples = scripts.map(() => []);
for (let run = 0; run < WARMUPS + RUNS; run += 1) {
  scripts.forEach(([, code], i) => {
    const ms = spawnMs(code);
    if (run >= WARMUPS) samples[i].push(ms);
  });
}
const stats = samples.map(summarize);
const [bare, ours] = stats;
const rows = scripts.map(([name], i) => [
  name, msSpread(stats[i]), `${(stats[i].median / bare.median).toFixed(2)}×`,
  i === 0 ? '–' : `+${(stats[i].median - bare.median).toFixed(1)} ms`, i === 0 ? '–' : `${(stats[i].median / ours.median).toFixed(2)}×`,
]);

const markdown = `## Cold start in Node (${today()})

Wall time of a new \`node\` process until it exits, median of ${RUNS} runs after ${WARMUPS} warm-ups, the three
scripts interleaved (spread: half the min–max range). The package loads its wasm synchronously at import.

${markdownTable(['process', 'wall time', 'vs `node -e 0`', 'over `node -e 0`', 'vs this package'], rows)}
`;
writeFileSync(new URL('./results/cold-start.md', import.meta.url), markdown);
console.log(markdown);
