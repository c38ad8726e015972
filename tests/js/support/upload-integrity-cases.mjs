// Upload integrity and object names, run unchanged in Node and Chromium against s3s-fs, which checks
// every signed body against its SHA-256 like S3 does. Bytes are corrupted between the client and the
// server by a fetch that flips one byte of a request body after the package has signed its hash: the
// package must send the body again, never store or complete it corrupted.
import { largeBackup, sha256Hex } from './upload-cases.mjs';

const HOST = 'object.storage.eu01.onstackit.cloud';
const MIB = 1024 * 1024;

/** Flips a byte of the body of the PUTs `pick(url, count)` chooses; counts every PUT per URL. */
function corrupting(pick) {
  const seen = new Map();
  const corrupted = [];
  const hashes = [];
  const fetchFn = async (url, init) => {
    if (init?.method === 'PUT') {
      const key = String(url);
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      hashes.push(init.headers?.['x-amz-content-sha256'] ?? null);
      if (pick(key, count) && init.body instanceof Uint8Array) {
        const body = init.body.slice();
        body[body.length >> 1] ^= 0x01;
        corrupted.push(key.replace(/^.*\?/, '') || 'put');
        return fetch(url, { ...init, body });
      }
    }
    return fetch(url, init);
  };
  return { fetch: fetchFn, corrupted, hashes, sends: seen };
}

/**
 * @param {object} api  the package
 * @param {{ endpoint: string, accessKey: string, secretKey: string, fixtures: string, prefix: string }} ctx
 */
export async function integrityCases(api, { endpoint, accessKey, secretKey, fixtures, prefix }) {
  const full = new Uint8Array(await (await fetch(`${fixtures}single/full.bak`)).arrayBuffer());
  const s3 = (sub) => ({ bucket: `s3://${HOST}/backups/${prefix}${sub}`, accessKey, secretKey, endpoint });
  const caught = (promise) => promise.then((r) => r, (e) => ({ error: { name: e.name, code: e.code, message: e.message, aborted: e.upload?.aborted, issues: e.errors?.map((i) => [i.field, i.code, i.message]) } }));
  const results = {};

  // Part 2's first send arrives changed: the server refuses it (its SHA-256 does not match the signed
  // one), so it is sent again; the object is completed from verified parts only.
  const big = largeBackup(full, 13 * MIB + 777, 21);
  const once = corrupting((url, count) => url.includes('partNumber=2&') && count === 1);
  const healed = await api.upload({ s3: s3('parts/'), files: [{ name: 'big.bak', source: new Blob([big]) }] }, { partSize: 5 * MIB, fetch: once.fetch });
  results.healedParts = { parts: healed.files[0].parts, requests: healed.requests, corrupted: once.corrupted, signedHashes: once.hashes.every((h) => /^[0-9a-f]{64}$/.test(h ?? '')) };
  results.bigSha = await sha256Hex(big);

  // The same corruption unsigned (payload: 'unsigned'): nothing notices, the stored object differs.
  const blind = corrupting((url, count) => url.includes('partNumber=2&') && count === 1);
  const unverified = await api.upload({ s3: s3('blind/'), files: [{ name: 'big.bak', source: new Uint8Array(big) }] }, { partSize: 5 * MIB, fetch: blind.fetch, payload: 'unsigned' });
  results.unverified = { parts: unverified.files[0].parts, corrupted: blind.corrupted, unsigned: blind.hashes.every((h) => h === 'UNSIGNED-PAYLOAD') };

  // A single PUT that arrives changed is refused the same way and sent again.
  const put = corrupting((url, count) => count === 1);
  const single = await api.upload({ s3: s3('single/'), files: [{ name: 'full.bak', source: new Blob([full]) }] }, { fetch: put.fetch });
  results.healedPut = { requests: single.requests, corrupted: put.corrupted.length };
  results.fullSha = await sha256Hex(full);

  // Every send of part 1 arrives changed: the upload fails after 3 sends, aborted in S3.
  const always = corrupting((url) => url.includes('partNumber=1&'));
  const failed = await caught(api.upload({ s3: s3('broken/'), files: [{ name: 'broken.bak', source: new Blob([big]) }] }, { partSize: 5 * MIB, concurrency: 1, fetch: always.fetch }));
  results.broken = { ...failed.error, part1Sends: [...always.sends].filter(([u]) => u.includes('partNumber=1&')).map(([, n]) => n) };

  // Object names: unsafe ones are refused before anything is sent, with a name that works.
  const names = ['Sales DB (1 of 2).bak', 'großes Backup #1.bak', '100%.bak', 'a+b.bak', 'what?.bak', `${'x'.repeat(120)} y.bak`];
  const sent = [];
  const counting = async (url, init) => {
    sent.push(String(url));
    return fetch(url, init);
  };
  results.refusedNames = [];
  for (const name of names) {
    const r = await caught(api.upload({ s3: s3('names/'), files: [{ name, source: new Blob([full]) }] }, { fetch: counting }));
    const suggestion = /e\.g\. "([^"]+)"/.exec(r.error?.issues?.[0]?.[2] ?? '')?.[1];
    results.refusedNames.push({ name, error: r.error?.name, field: r.error?.issues?.[0]?.[0], code: r.error?.issues?.[0]?.[1], suggestion });
  }
  results.requestsForRefused = sent.length;

  // Each suggested name uploads, and what upload returns validates and preflights.
  results.uploadedNames = [];
  results.validates = [];
  results.preflightStatuses = [];
  for (const name of results.refusedNames.map((r) => r.suggestion)) {
    const uploaded = await api.upload({ s3: s3('names/'), files: [{ name, source: new Blob([full]) }] });
    const files = uploaded.files.map((f) => ({ number: f.number, path: f.path }));
    results.uploadedNames.push(uploaded.files[0].key.split('/').pop());
    const check = api.validateImport({ instanceId: '22222222-2222-4222-8222-222222222222', databaseName: 'names_db', databaseOwner: 'dbo_owner', s3: { ...s3('names/'), files } });
    results.validates.push([check.ok, check.errors.length]);
    const preflight = await api.preflight({ s3: { ...s3('names/'), files } });
    results.preflightStatuses.push([preflight.report.files[0].status, preflight.report.verdict]);
  }
  return results;
}
