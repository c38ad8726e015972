// Preflight cases that run unchanged in Node and Chromium against a real S3 server (s3s-fs, SigV4
// verified); in Chromium through a CORS-adding proxy. Each case returns plain data. `fixtures` is the
// base URL the fixture backups are fetched from, for inspectFiles on Blobs and bytes.
const HOST = 'object.storage.eu01.onstackit.cloud';
const bucket = (prefix) => `s3://${HOST}/backups/${prefix}`;

export async function preflightCases(api, { endpoint, accessKey, secretKey, fixtures }) {
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
  /** What a report says about each file: facts, database files, backup sets; the findings' messages. */
  const facts = (report) => ({
    verdict: report.verdict,
    codes: report.findings.map((f) => f.code),
    messages: Object.fromEntries(report.findings.map((f) => [f.code, f.message])),
    restoreSize: report.restoreSize,
    order: report.filesInOrder?.map((f) => f.path.split('/').pop()) ?? null,
    files: report.files.map((f) => ({
      name: f.path.split('/').pop(),
      size: f.size,
      kind: f.header?.kind,
      compressed: f.header?.compressed,
      backupType: f.header?.backupType,
      databaseName: f.header?.databaseName,
      databaseVersion: f.header?.databaseVersion,
      sqlServerVersion: f.header?.sqlServerVersion,
      stripe: f.header?.familyCount ? `${f.header.familySequence} of ${f.header.familyCount}` : null,
      databaseFiles: (f.header?.files ?? []).map((d) => [d.logicalName, d.fileType, d.size]),
      filemarksUsed: f.tail?.filemarks?.used ?? null,
      tailBytes: f.tail?.bytes ?? null,
      sets: f.backupSets?.map((s) => [s.position, s.backupType, s.backupDate]) ?? null,
    })),
  });
  const checked = async (prefix, files, options = {}) => {
    const result = await api.preflight({ s3: s3(prefix, files), ...options });
    return { ...facts(result.report), requests: result.requests, bytesRead: result.bytesRead };
  };
  const caught = async (promise) => {
    try {
      return await promise;
    } catch (e) {
      return { error: { name: e.name, code: e.code, message: e.message } };
    }
  };
  const results = {};
  const single = await api.preflight({ s3: s3('single/', ['full.bak']), databaseName: 'SalesDb' });
  results.single = { ...summary(single), header: single.report.files[0].header, size: single.report.files[0].size, sets: single.report.files[0].backupSets };
  results.striped = summary(await api.preflight({ s3: s3('striped/', ['sales-3of3.bak', 'sales-1of3.bak', 'sales-2of3.bak']) }));
  results.stripeMissing = summary(await api.preflight({ s3: s3('striped/', ['sales-1of3.bak', 'sales-3of3.bak']) }));
  results.mixed = summary(await api.preflight({ s3: s3('striped/', ['sales-1of3.bak', 'old-2of2.bak']) }));
  results.kinds = summary(await api.preflight({ s3: s3('single/', ['log.bak', 'encrypted.bak', 'not-a-backup.bak', 'missing.bak']) }));
  results.wrongSecret = summary(await api.preflight({ s3: s3('single/', ['full.bak'], 'wrong-secret') }));
  const tail = await api.preflight({ s3: s3('single/', ['full.bak']) });
  const [tailFile] = tail.report.files;
  results.tail = { ...summary(tail), size: tailFile.size, etag: tailFile.etag, tailEtag: tailFile.tail?.etag, endOfSet: tailFile.tail?.endOfSetOffset };
  results.truncated = summary(await api.preflight({ s3: s3('checks/', ['truncated.bak']) }));
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

  // Production backups: compressed (the real SQL Server 2016 one and made ones), several sets in one
  // file, too old, a system database; and the tail turned off.
  results.realCompressed = await checked('production/', ['TutorialDB-compressed.bak'], { databaseName: 'TutorialDB' });
  results.compressedStripes = await checked('production/', ['compressed-4k-1of2.bak', 'compressed-4k-2of2.bak']);
  results.compressedStripesSwapped = await checked('production/', ['compressed-4k-2of2.bak', 'compressed-4k-1of2.bak']);
  results.compressedDiff = await checked('production/', ['compressed-diff.bak']);
  results.compressedLog = await checked('production/', ['compressed-log.bak']);
  results.encrypted = await checked('single/', ['encrypted.bak']);
  results.twoSets = await checked('production/', ['appended-2sets.bak']);
  results.sixSets = await checked('production/', ['appended-6sets.bak']);
  results.appendedCompressed = await checked('production/', ['appended-compressed.bak']);
  results.twoFilesWithSets = await checked('production/', ['appended-2sets.bak', 'appended-6sets.bak']);
  results.noTail = await checked('production/', ['appended-2sets.bak'], { tail: false });
  results.sql2005 = await checked('production/', ['sql2005.bak']);
  results.master = await checked('production/', ['master.bak']);

  // inspectFiles on Files, Blobs and bytes: the same report, nothing sent.
  const load = async (path) => new Uint8Array(await (await fetch(`${fixtures}${path}`)).arrayBuffer());
  const six = await load('production/appended-6sets.bak');
  results.localSets = facts(await api.inspectFiles([new Blob([six])]));
  results.localNamed = facts(await api.inspectFiles([
    { name: 'TutorialDB.bak', source: await load('TutorialDB-compressed.bak') },
    new File([await load('single/encrypted.bak')], 'encrypted.bak'),
  ]));
  results.localStripes = facts(await api.inspectFiles(
    [await load('production/compressed-4k-2of2.bak'), await load('production/compressed-4k-1of2.bak')].map((bytes, i) => ({ name: `s${i}.bak`, source: bytes.buffer })),
    { databaseName: 'Reporting' },
  ));
  return results;
}
