// Deno fixture: uploads a local backup (read with --allow-read for that one file) to an S3 server as a
// Blob, once in one PUT and once in 5 MiB parts; prints the results as one JSON line.
import { upload } from 'sqlserverflex-restore';

const [endpoint, accessKey, file] = Deno.args;
const secretKey = Deno.env.get('S3_SECRET');
const bytes = await Deno.readFile(file);
const s3 = (prefix) => ({ bucket: `s3://object.storage.eu01.onstackit.cloud/backups/${prefix}`, accessKey, secretKey, endpoint });
const single = await upload({ s3: s3('deno-single/'), files: [new File([bytes.subarray(0, 100_000)], 'small.bak')] });
const percents = [];
const multi = await upload({ s3: s3('deno-multi/'), files: [new File([bytes], 'big.bak')] },
  { partSize: 5 * 1024 * 1024, onProgress: (e) => percents.push(e.percent) });
const summary = (r) => r.files.map(({ key, parts, size }) => ({ key, parts, size }));
console.log(JSON.stringify({ single: summary(single), multi: summary(multi), lastPercent: percents.at(-1) }));
