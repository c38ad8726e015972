// Request checks of POST …/restores, from the spec schema and the documented rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody } from './support/helpers.mjs';
import { DEFAULT_OWNER_LOGIN } from '../../pkg-template/emulator/index.mjs';

let emulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());

function withSource(patch) {
  const body = s3RestoreBody();
  Object.assign(body.source, patch);
  return body;
}

function withDetails(patch) {
  const body = s3RestoreBody();
  Object.assign(body.source.s3_details, patch);
  return body;
}

const BUCKET = 's3://object.storage.eu01.onstackit.cloud/backups/';

const INVALID = [
  ['body is an array', [], /body must be a JSON object/],
  ['body is empty', '', /empty/],
  ['database_name missing', { source: { type: 'BACKUP' } }, /database_name: is required/],
  ['database_name not a string', { database_name: 42, source: { type: 'BACKUP' } }, /database_name: must be a string/],
  ['database_name with a dash', s3RestoreBody({ databaseName: 'my-db' }), /database_name: must be 1-80 characters/],
  ['database_name empty', s3RestoreBody({ databaseName: '' }), /database_name: must be 1-80/],
  ['database_name 81 characters', s3RestoreBody({ databaseName: 'a'.repeat(81) }), /database_name: must be 1-80/],
  ['database_name non-ASCII', s3RestoreBody({ databaseName: 'dätabase' }), /database_name: must be 1-80/],
  ['system database master', s3RestoreBody({ databaseName: 'master' }), /system database master/],
  ['system database TempDB (case-insensitive)', s3RestoreBody({ databaseName: 'TempDB' }), /system database tempdb/],
  ['system database msdb', s3RestoreBody({ databaseName: 'msdb' }), /system database msdb/],
  ['system database model', s3RestoreBody({ databaseName: 'Model' }), /system database model/],
  ['unknown top-level field', { ...s3RestoreBody(), databaseName: 'x' }, /databaseName: is not a known field/],
  ['source missing', { database_name: 'db1' }, /source: is required/],
  ['source not an object', { database_name: 'db1', source: 'BACKUP' }, /source: must be an object/],
  ['source.type missing', { database_name: 'db1', source: {} }, /source\.type: is required/],
  ['source.type lowercase', { database_name: 'db1', source: { type: 'backup' } }, /source\.type: must be BACKUP or EXTERNAL_S3/],
  ['BACKUP source with S3 fields', { database_name: 'db1', source: { type: 'BACKUP', database_owner: 'x' } }, /source\.database_owner: is not a known field/],
  ['database_owner missing', withSource({ database_owner: undefined }), /source\.database_owner: is required/],
  ['database_owner empty', withSource({ database_owner: '' }), /source\.database_owner: must not be empty/],
  ['logging_guid not a string', withSource({ logging_guid: 1 }), /source\.logging_guid: must be a string/],
  ['unknown S3 source field', withSource({ s3_bucket: BUCKET }), /source\.s3_bucket: is not a known field/],
  ['s3_details missing', withSource({ s3_details: undefined }), /source\.s3_details: is required/],
  ['s3_details an array', withSource({ s3_details: [] }), /source\.s3_details: must be an object/],
  ['s3_bucket missing', withDetails({ s3_bucket: undefined }), /s3_bucket: is required/],
  ['s3_bucket not a URL', withDetails({ s3_bucket: 'my-bucket' }), /s3_bucket: must be an s3:\/\/, http:\/\/ or https:\/\/ URL/],
  ['s3_access_key missing', withDetails({ s3_access_key: undefined }), /s3_access_key: is required/],
  ['s3_access_secret not a string', withDetails({ s3_access_secret: 5 }), /s3_access_secret: must be a string/],
  ['s3_files missing', withDetails({ s3_files: undefined }), /s3_files: is required/],
  ['s3_files empty (minItems 1)', withDetails({ s3_files: [] }), /s3_files: must contain at least 1 file/],
  ['s3_files not an array', withDetails({ s3_files: {} }), /s3_files: must be an array/],
  ['65 files', withDetails({ s3_files: Array.from({ length: 65 }, (_, i) => ({ file_number: i + 1, file_path: `${BUCKET}f${i}.bak` })) }), /at most 64 files/],
  ['file entry not an object', withDetails({ s3_files: ['full.bak'] }), /s3_files\[0\]: must be an object/],
  ['file_number missing', withDetails({ s3_files: [{ file_path: `${BUCKET}a.bak` }] }), /s3_files\[0\]\.file_number: is required/],
  ['file_number 0', withDetails({ s3_files: [{ file_number: 0, file_path: `${BUCKET}a.bak` }] }), /file_number: must be an integer/],
  ['file_number 1.5', withDetails({ s3_files: [{ file_number: 1.5, file_path: `${BUCKET}a.bak` }] }), /file_number: must be an integer/],
  ['file_number beyond int32', withDetails({ s3_files: [{ file_number: 2 ** 31, file_path: `${BUCKET}a.bak` }] }), /file_number: must be an integer/],
  ['duplicate file_number', withDetails({ s3_files: [{ file_number: 1, file_path: `${BUCKET}a.bak` }, { file_number: 1, file_path: `${BUCKET}b.bak` }] }), /s3_files\[1\]\.file_number: duplicates/],
  ['file_path missing', withDetails({ s3_files: [{ file_number: 1 }] }), /file_path: is required/],
  ['file_path not a URL', withDetails({ s3_files: [{ file_number: 1, file_path: 'full.bak' }] }), /file_path: must be an s3:\/\//],
  ['file_path outside the bucket', withDetails({ s3_files: [{ file_number: 1, file_path: 's3://object.storage.eu01.onstackit.cloud/other/full.bak' }] }), /file_path: must be an object URL inside s3_bucket/],
  ['file_path equal to the bucket', withDetails({ s3_files: [{ file_number: 1, file_path: BUCKET }] }), /inside s3_bucket/],
  ['unknown file field', withDetails({ s3_files: [{ file_number: 1, file_path: `${BUCKET}a.bak`, size: 3 }] }), /s3_files\[0\]\.size: is not a known field/],
];

for (const [name, body, message] of INVALID) {
  test(`400: ${name}`, async () => {
    const response = await call(emulator, 'POST', 'restores', { body: typeof body === 'string' ? body : JSON.parse(JSON.stringify(body)) });
    assert.equal(response.status, 400, response.text);
    assert.match(response.json.message, message);
    assert.equal(emulator.state.instances[0].restores.length, 0, 'a rejected request starts no restore');
  });
}

test('400 lists every problem of a request at once', async () => {
  const response = await call(emulator, 'POST', 'restores', { body: { database_name: 'master', source: { type: 'EXTERNAL_S3' } } });
  assert.equal(response.status, 400);
  assert.match(response.json.message, /database_name: .*; source\.database_owner: is required; source\.s3_details: is required/);
});

test('400 when database_owner is not a login on the instance; owner matching ignores case', async () => {
  const unknown = await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ owner: 'nobody' }) });
  assert.equal(unknown.status, 400);
  assert.match(unknown.json.message, /database_owner nobody is not a login/);
  const upper = await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'owner_case', owner: DEFAULT_OWNER_LOGIN.toUpperCase() }) });
  assert.equal(upper.status, 202);
  assert.equal(emulator.state.instances[0].restores.at(-1).owner, DEFAULT_OWNER_LOGIN);
  emulator.reset();
});

test('400 for a BACKUP restore of a database without managed backups', async () => {
  const response = await call(emulator, 'POST', 'restores', { body: { database_name: 'never_backed_up', source: { type: 'BACKUP' } } });
  assert.equal(response.status, 400);
  assert.match(response.json.message, /no managed backup of database never_backed_up/);
});

test('accepted edge cases: 80-character name, digits/underscore names, 64 striped files, virtual-hosted bucket URL', async () => {
  const files = Array.from({ length: 64 }, (_, i) => `stripe_${i + 1}.bak`);
  for (const body of [
    s3RestoreBody({ databaseName: 'a'.repeat(80) }),
    s3RestoreBody({ databaseName: '_2024_Q1' }),
    s3RestoreBody({ databaseName: 'striped', files }),
    s3RestoreBody({ databaseName: 'aws_style', bucket: 'http://mein-beispiel-bucket.s3.eu-central-1.amazonaws.com/' }),
    s3RestoreBody({ databaseName: 'bucket_no_slash', bucket: 'https://object.storage.eu01.onstackit.cloud/backups' }),
  ]) {
    if (body.database_name === 'bucket_no_slash') {
      body.source.s3_details.s3_files = [{ file_number: 1, file_path: 'https://object.storage.eu01.onstackit.cloud/backups/x.bak' }];
    }
    const response = await call(emulator, 'POST', 'restores', { body });
    assert.equal(response.status, 202, `${body.database_name}: ${response.text}`);
  }
  const striped = emulator.state.instances[0].restores.find((r) => r.databaseName === 'striped');
  assert.deepEqual(striped.files.map((f) => f.file_number), Array.from({ length: 64 }, (_, i) => i + 1));
  emulator.reset();
});

test('a second restore of the same target while the first runs → 409 (case-insensitive)', async () => {
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'twice' }) })).status, 202);
  const again = await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'TWICE' }) });
  assert.equal(again.status, 409);
  assert.match(again.json.message, /already being restored/);
  emulator.reset();
});
