// Preflight cases that run unchanged in Node and Chromium against a real S3 server (s3s-fs, SigV4
// verified); in Chromium through a CORS-adding proxy. Each case returns plain data.
const HOST = 'object.storage.eu01.onstackit.cloud';
const bucket = (prefix) => `s3://${HOST}/backups/${prefix}`;

export async function preflightCases(api, { endpoint, accessKey, secretKey }) {
  const s3 = (prefix, files, key = secretKey) => ({
    bucket: bucket(prefix), accessKey, secretKey: key, endpoint,
    ...(files ? { files: files.map((f, i) => ({ number: i + 1, path: `${bucket(prefix)}${f}` })) } : {}),
  });
  const summary = (result) => ({
    verdict: result.report?.verdict,
    codes: result.report?.findings.map((f) => f.code) ?? [],
    order: result.report?.filesInOrder?.map((f) => f.path.split('/').pop()) ?? null,
    requests: result.requests,
    bytesRead: result.bytesRead,
  });
  const caught = async (promise) => {
    try {
      return await promise;
    } catch (e) {
      return { error: { name: e.name, code: e.code, message: e.message } };
    }
  };
  const results = {};
  const single = await api.preflight({ s3: s3('single/', ['full.bak']), databaseName: 'SalesDb' });
  results.single = { ...summary(single), header: single.report.files[0].header, size: single.report.files[0].size };
  results.striped = summary(await api.preflight({ s3: s3('striped/', ['sales-3of3.bak', 'sales-1of3.bak', 'sales-2of3.bak']) }));
  results.stripeMissing = summary(await api.preflight({ s3: s3('striped/', ['sales-1of3.bak', 'sales-3of3.bak']) }));
  results.mixed = summary(await api.preflight({ s3: s3('striped/', ['sales-1of3.bak', 'old-2of2.bak']) }));
  results.kinds = summary(await api.preflight({ s3: s3('single/', ['log.bak', 'compressed.bak', 'not-a-backup.bak', 'missing.bak']) }));
  results.wrongSecret = summary(await api.preflight({ s3: s3('single/', ['full.bak'], 'wrong-secret') }));
  const tail = await api.preflight({ s3: s3('single/', ['full.bak']), tail: true });
  const [tailFile] = tail.report.files;
  results.tail = { ...summary(tail), size: tailFile.size, etag: tailFile.etag, tailEtag: tailFile.tail?.etag, endOfSet: tailFile.tail?.endOfSetOffset };
  results.truncated = summary(await api.preflight({ s3: s3('checks/', ['truncated.bak']), tail: true }));
  results.renamed = summary(await api.preflight({ s3: s3('single/', ['full.bak']), databaseName: 'Reporting' }));
  const discovered = await api.preflight({ s3: s3('striped/') });
  results.discovery = {
    sets: discovered.discovery.sets.map((s) => ({ count: s.familyCount, complete: s.complete, files: s.files.length })),
    proposal: discovered.discovery.proposal?.map((f) => `${f.number}:${f.path.split('/').pop()}`) ?? JSON.stringify(discovered.discovery.sets),
    verdict: discovered.report?.verdict,
  };
  results.invalid = await caught(api.preflight({ s3: { bucket: 'nope', accessKey: 'a', secretKey: 'b' } }));
  const controller = new AbortController();
  controller.abort();
  results.aborted = await caught(api.preflight({ s3: s3('single/', ['full.bak']), signal: controller.signal }));
  return results;
}
