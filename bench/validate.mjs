// Validation and request building in one Node process: calls per second of validateImport and
// buildImportRequest, set against JSON.stringify of the same input (the least any JS library does with
// it) to show what crossing into wasm and back costs; then the wasm linear memory after 1 000 and
// after 100 000 validate+build calls, which must not grow. Writes bench/results/validate.md.
import { writeFileSync } from 'node:fs';
import { buildImportRequest, validateImport } from 'sqlserverflex-restore';
import { markdownTable, rateSpread, throughput, today } from './measure.mjs';

const options = { projectId: '11111111-1111-4111-8111-111111111111', region: 'eu01', token: 'bench-token' };
const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/sales/';
const input = {
  instanceId: '22222222-2222-4222-8222-222222222222', databaseName: 'sales', databaseOwner: 'dbo_owner',
  loggingGuid: '33333333-3333-4333-8333-333333333333',
  s3: { bucket, accessKey: 'AKIDBENCH', secretKey: 'bench-secret', files: [1, 2, 3, 4].map((n) => ({ path: `${bucket}sales-${n}of4.bak` })) },
};
if (!validateImport(input, options).ok) throw new Error('the benchmark input must be valid');

// The same glue module instance the entry initialised: initSync hands back its exports (and memory).
const glue = await import(new URL('./wasm/sqlserverflex_restore.js', import.meta.resolve('sqlserverflex-restore')));
const memoryBytes = () => glue.initSync({ module: new Uint8Array() }).memory.buffer.byteLength;
const validateAndBuild = () => {
  validateImport(input, options);
  buildImportRequest(options, input);
};

const results = [
  ['`validateImport(input, options)`', await throughput(() => validateImport(input, options))],
  ['`buildImportRequest(options, input)`', await throughput(() => buildImportRequest(options, input))],
  ['`JSON.stringify(input)` (reference)', await throughput(() => JSON.stringify(input))],
  ['`JSON.parse(JSON.stringify(input))` (reference)', await throughput(() => JSON.parse(JSON.stringify(input)))],
];
const stringify = results[2][1].median;
const rows = results.map(([name, rate]) => [name, rateSpread(rate), `${(1e6 / rate.median).toFixed(2)} µs`, `${(stringify / rate.median).toFixed(1)}×`]);

const memory = [];
let calls = 0;
for (const target of [1_000, 100_000]) {
  for (; calls < target; calls += 1) validateAndBuild();
  memory.push([target.toLocaleString('en-US'), `${(memoryBytes() / 1024).toFixed(0)} KiB`]);
}
const grew = memory[1][1] !== memory[0][1];

const markdown = `## Validation and request building (one Node process, ${today()})

The import input with 4 stripe files and client options (a token); median of 7 batches of ~300 ms
after a warm-up batch. "vs JSON.stringify" is how many \`JSON.stringify(input)\` calls fit in one call:
the price of crossing into wasm (JS object in, result object out) plus the checks themselves.

${markdownTable(['call', 'calls/s', 'time per call', 'vs JSON.stringify'], rows)}

Wasm linear memory after validate + build calls (the same input each time):

${markdownTable(['calls', 'linear memory'], memory)}

${grew ? '**The memory grew between 1 000 and 100 000 calls.**' : 'No growth between 1 000 and 100 000 calls.'}
`;
writeFileSync(new URL('./results/validate.md', import.meta.url), markdown);
console.log(markdown);
if (grew) process.exitCode = 1;
