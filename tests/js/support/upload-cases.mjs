// Upload cases that run unchanged in Node and Chromium against a real S3 server (s3s-fs verifies
// every SigV4 signature, and the payload hash when one is sent); in Chromium through a CORS-adding
// proxy. Files are Blobs made from the fixture backups; each case returns plain data, and the Node
// side compares what landed on the server's disk.
const HOST = 'object.storage.eu01.onstackit.cloud';
const MIB = 1024 * 1024;

/** A backup of `size` bytes: a real header (the fixture's first 64 KiB), then deterministic noise. */
export function largeBackup(header, size, seed = 1) {
  const bytes = new Uint8Array(size);
  bytes.set(header.subarray(0, Math.min(65_536, header.length, size)));
  let x = seed >>> 0 || 1;
  for (let i = 65_536; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    bytes[i] = x & 0xff; bytes[i + 1] = (x >>> 8) & 0xff; bytes[i + 2] = (x >>> 16) & 0xff; bytes[i + 3] = x >>> 24;
  }
  return bytes;
}

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {object} api  the package
 * @param {{ endpoint: string, accessKey: string, secretKey: string, fixtures: string, prefix: string }} ctx
 *   `fixtures`: base URL of the fixture backups; `prefix`: key prefix of this run (`up-node/`)
 */
export async function uploadCases(api, { endpoint, accessKey, secretKey, fixtures, prefix }) {
  const load = async (name) => new Uint8Array(await (await fetch(`${fixtures}${name}`)).arrayBuffer());
  const bucket = (sub) => `s3://${HOST}/backups/${prefix}${sub}`;
  const s3 = (sub, key = secretKey) => ({ bucket: bucket(sub), accessKey, secretKey: key, endpoint });
  const caught = async (promise) => {
    try {
      return await promise;
    } catch (e) {
      return { error: { name: e.name, code: e.code, message: e.message, upload: e.upload, findings: e.report?.findings.map((f) => f.code) } };
    }
  };
  const summary = (r) => r.error ?? { files: r.files.map(({ path, key, number, size, parts, resumedParts, uploadId }) => ({ path, key, number, size, parts, resumedParts, multipart: uploadId !== undefined })), requests: r.requests, sentBytes: r.sentBytes };
  const full = await load('single/full.bak');
  const results = {};

  results.small = summary(await api.upload({ s3: s3('small/'), files: [new File([full], 'full.bak')] }));
  results.smallSha = await sha256Hex(full);

  const big = largeBackup(full, 21 * MIB + 12_345, 7);
  const events = [];
  const multi = await api.upload(
    { s3: s3('multi/'), files: [{ name: 'big.bak', source: new Blob([big]) }] },
    { partSize: 5 * MIB, concurrency: 3, onProgress: (e) => events.push(e) },
  );
  results.multi = summary(multi);
  results.multiSha = await sha256Hex(big);
  results.events = {
    count: events.length,
    monotonic: events.every((e, i) => i === 0 || e.loaded >= events[i - 1].loaded),
    last: events.at(-1),
    fields: Object.keys(events.at(-1)).sort(),
  };

  const hashed = largeBackup(full, 11 * MIB, 9);
  results.hashed = summary(await api.upload({ s3: s3('hashed/'), files: [new Blob([hashed])] }, { partSize: 5 * MIB, payload: 'sha256' }));
  results.hashedSha = await sha256Hex(hashed);

  // The network goes away after two parts: nothing can be sent (not even the abort), the error
  // keeps what is needed to resume, and the resumed upload sends only the missing parts.
  const resumable = largeBackup(full, 16 * MIB, 11);
  let partsSent = 0;
  const flaky = async (url, init) => {
    if (partsSent >= 2) throw new TypeError('network down');
    const response = await fetch(url, init);
    if (init?.method === 'PUT' && response.ok) partsSent += 1;
    return response;
  };
  const failed = await caught(api.upload({ s3: s3('resume/'), files: [{ name: 'r.bak', source: new Blob([resumable]) }] },
    { partSize: 5 * MIB, concurrency: 1, maxRetries: 1, fetch: flaky, onFailure: 'keep' }));
  results.failed = failed.error && { name: failed.error.name, code: failed.error.code, parts: failed.error.upload?.parts.length, aborted: failed.error.upload?.aborted, key: failed.error.upload?.key };
  results.resumed = failed.error?.upload
    ? summary(await api.upload({ s3: s3('resume/'), files: [{ name: 'r.bak', source: new Blob([resumable]) }] }, { resume: failed.error.upload }))
    : null;
  results.resumedSha = await sha256Hex(resumable);

  // The completion's answer is lost after S3 acted on it: sent again, it finds the upload gone
  // (NoSuchUpload); a one-byte read shows the completed object, so the upload succeeds.
  const lostAnswer = largeBackup(full, 11 * MIB, 21);
  let completions = 0;
  const losing = async (url, init) => {
    const response = await fetch(url, init);
    const completion = init?.method === 'POST' && String(url).includes('uploadId=');
    if (completion && (completions += 1) === 1) throw new TypeError('connection reset');
    return response;
  };
  results.lostCompletion = summary(await api.upload({ s3: s3('lost/'), files: [{ name: 'l.bak', source: new Blob([lostAnswer]) }] },
    { partSize: 5 * MIB, fetch: losing }));
  results.lostCompletion.completions = completions;
  results.lostSha = await sha256Hex(lostAnswer);

  // Abort after the first part: the upload is aborted server-side.
  const controller = new AbortController();
  const aborted = await caught(api.upload({ s3: s3('abort/'), files: [{ name: 'a.bak', source: new Blob([largeBackup(full, 20 * MIB, 13)]) }] },
    { partSize: 5 * MIB, concurrency: 1, signal: controller.signal, onProgress: (e) => e.loaded > 0 && controller.abort() }));
  results.aborted = { name: aborted.error?.name, removed: aborted.error?.upload?.aborted };

  // The first abort does not take effect (as when a part lands after it): ListParts still finds the
  // upload, so it is aborted again.
  const deletes = [];
  const lateParts = async (url, init) => {
    if (init?.method === 'DELETE') {
      deletes.push(String(url));
      if (deletes.length === 1) return new Response(null, { status: 204 });
    }
    return fetch(url, init);
  };
  const again = new AbortController();
  const abortedTwice = await caught(api.upload({ s3: s3('abort-again/'), files: [{ name: 'b.bak', source: new Blob([largeBackup(full, 12 * MIB, 17)]) }] },
    { partSize: 5 * MIB, concurrency: 1, fetch: lateParts, signal: again.signal, onProgress: (e) => e.loaded > 0 && again.abort() }));
  results.abortedTwice = { name: abortedTwice.error?.name, removed: abortedTwice.error?.upload?.aborted, deletes: deletes.length };

  results.wrongKey = (await caught(api.upload({ s3: s3('denied/', 'not-the-secret'), files: [new File([full], 'full.bak')] }))).error;
  results.wrongKeyMultipart = (await caught(api.upload({ s3: s3('denied/', 'not-the-secret'), files: [new File([big], 'big.bak')] }))).error;

  const noise = new Uint8Array(70_000).fill(7);
  results.notBackup = (await caught(api.upload({ s3: s3('refused/'), files: [new File([noise], 'noise.bak')] }))).error;
  results.forced = summary(await api.upload({ s3: s3('forced/'), files: [new File([noise], 'noise.bak')] }, { force: true }));

  // Compressed backups are uploaded (SQL Server restores them); an encrypted stand-in is refused, nothing sent.
  const compressed = await load('single/compressed.bak');
  const uploadedCompressed = await api.upload({ s3: s3('compressed/'), files: [new File([compressed], 'compressed.bak')] });
  results.compressed = { ...summary(uploadedCompressed), codes: uploadedCompressed.report.findings.map((f) => f.code), compressed: uploadedCompressed.report.files[0].header.compressed };
  results.compressedSha = await sha256Hex(compressed);
  const appended = await api.upload({ s3: s3('appended/'), files: [new File([await load('production/appended-compressed.bak')], 'appended.bak')] });
  results.appended = { codes: appended.report.findings.map((f) => f.code), sets: appended.report.files[0].backupSets.map((s) => [s.position, s.backupDate]), restoreSize: appended.report.restoreSize };
  results.encrypted = (await caught(api.upload({ s3: s3('encrypted/'), files: [new File([await load('single/encrypted.bak')], 'encrypted.bak')] }))).error;

  const stripes = await Promise.all(['sales-3of3.bak', 'sales-1of3.bak', 'sales-2of3.bak'].map(async (n) => new File([await load(`striped/${n}`)], n)));
  results.striped = summary(await api.upload({ s3: s3('striped/'), files: stripes }));
  results.stripeMissing = (await caught(api.upload({ s3: s3('striped-missing/'), files: [stripes[1], stripes[0]] }))).error;
  results.invalid = (await caught(api.upload({ s3: { ...s3('x/'), accessKey: '' }, files: [new File([full], 'full.bak')] }, { partSize: 1024 }))).error;
  return results;
}
