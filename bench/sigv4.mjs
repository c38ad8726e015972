// SigV4 signing throughput in one Node process: this package against aws4fetch and @smithy/signature-v4
// (what @aws-sdk/client-s3 signs with), on the same ranged GET with the same credentials and time.
// The package signs inside `preflight`, so its rate is that of a 64-file preflight over a fetch that
// answers at once (404): each file is one signed GET, and the rate includes input validation, the
// wasm↔JS calls and the report — an upper bound of the signing cost. Before timing, the three
// Authorization headers are compared: they must be identical. Writes bench/results/sigv4.md.
import { writeFileSync } from 'node:fs';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsV4Signer } from 'aws4fetch';
import { preflight } from 'sqlserverflex-restore';
import { markdownTable, rateSpread, throughput, today } from './measure.mjs';

const FILES = 64;
const credentials = { accessKeyId: 'AKIDBENCHMARK000001', secretAccessKey: 'bench/secret+key/0123456789abcdefghijklmno' };
const region = 'eu01';
const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/wide/';
const input = {
  s3: {
    bucket, accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey, region,
    files: Array.from({ length: FILES }, (_, i) => ({ path: `${bucket}wide-${String(i + 1).padStart(2, '0')}of64.bak` })),
  },
};
// A Response-shaped answer, read structurally by the package: no network, no body.
const notFound = { status: 404, headers: { get: () => null }, text: async () => '' };
const captured = [];
const noopFetch = async (url, init) => {
  captured.push({ url, headers: init.headers });
  return notFound;
};
const ours = () => preflight({ ...input, fetch: noopFetch });

// The first request the package sent, re-signed by the references with its exact headers and time.
await ours();
const [first] = captured;
const { authorization, ...signedHeaders } = first.headers;
const amzDate = signedHeaders['x-amz-date'];
const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`);

// aws4fetch leaves `range` unsigned unless told to sign every header.
const aws4fetch = () => new AwsV4Signer({
  method: 'GET', url: first.url, headers: signedHeaders, ...credentials, service: 's3', region, datetime: amzDate, allHeaders: true,
}).sign();
const smithySigner = new SignatureV4({ credentials, region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
const url = new URL(first.url);
const smithy = () => smithySigner.sign({
  method: 'GET', protocol: url.protocol, hostname: url.hostname, path: url.pathname, query: {},
  headers: { host: url.host, ...signedHeaders },
}, { signingDate });

const references = {
  aws4fetch: (await aws4fetch()).headers.get('authorization'),
  '@smithy/signature-v4': (await smithy()).headers.authorization,
};
for (const [name, value] of Object.entries(references)) {
  if (value !== authorization) throw new Error(`${name} signs differently:\n  ours ${authorization}\n  its  ${value}`);
}

const rows = [];
const oursRate = await throughput(async () => { await preflight({ ...input, fetch: async () => notFound }); });
const scale = (r) => ({ median: r.median * FILES, spread: r.spread * FILES });
const results = [
  ['sqlserverflex-restore (wasm), inside a 64-file preflight', scale(oursRate)],
  ['aws4fetch `AwsV4Signer.sign()`', await throughput(aws4fetch)],
  ['@smithy/signature-v4 `SignatureV4.sign()`', await throughput(smithy)],
];
for (const [name, rate] of results) rows.push([name, rateSpread(rate), `${(rate.median / results[0][1].median).toFixed(2)}×`]);

const markdown = `## SigV4 signing throughput (one Node process, ${today()})

One ranged GET (\`range\`, \`x-amz-date\`, \`x-amz-content-sha256\` signed) with the same credentials and
time; the three Authorization headers were checked identical before timing. Signatures per second,
median of 7 batches of ~300 ms after a warm-up batch (spread: half the min–max range). The package
signs inside \`preflight\` only, so its row is a whole 64-file preflight over a fetch that answers 404
at once, divided by 64: it also pays input validation, the wasm↔JS calls and the report.

${markdownTable(['signer', 'signatures/s', 'vs this package'], rows)}
`;
writeFileSync(new URL('./results/sigv4.md', import.meta.url), markdown);
console.log(markdown);
