// Builders, validation and curl of the built package, in Node and in headless Chromium (same cases,
// same results), plus the curl command executed by a real shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs } from './support/chromium.mjs';
import { INSTANCE, PROJECT, SECRET, TOKEN, importInput, requestCases } from './support/request-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const results = requestCases(api);
const base = (version, host = version === 'v3' ? 'api' : 'api.eu01') =>
  `https://mssql-flex-service.${host}.stackit.cloud/${version}/projects/${PROJECT}/regions/eu01/instances/${INSTANCE}`;

describe('request data for every operation in both API versions', () => {
  for (const version of ['v3', 'v3alpha1']) {
    const r = (op) => results[`${version} ${op}`];
    test(`${version}: URLs and methods`, () => {
      const expected = {
        importFromS3: ['POST', '/restores'],
        restoreFromBackup: ['POST', '/restores'],
        restorePointInTime: ['POST', '/backups/databases/sales/restores'],
        listRestoreJobs: ['GET', '/restore-jobs'],
        listBackups: ['GET', '/backups?page=2&size=50&sort=end_time.desc'],
        getBackup: ['GET', '/backups/42'],
        listDatabases: ['GET', '/databases'],
        getDatabase: ['GET', '/databases/sales'],
        getInstance: ['GET', ''],
        listUsers: ['GET', '/users?page=1&size=100'],
      };
      for (const [operation, [method, suffix]] of Object.entries(expected)) {
        assert.equal(r(operation).method, method, operation);
        assert.equal(r(operation).url, `${base(version)}${suffix}`, operation);
        assert.equal(r(operation).headers.authorization, `Bearer ${TOKEN}`);
        assert.equal(r(operation).headers['content-type'], method === 'POST' ? 'application/json' : undefined);
        assert.equal(r(operation).body === undefined, method === 'GET');
      }
    });
    test(`${version}: bodies`, () => {
      assert.deepEqual(JSON.parse(r('restoreFromBackup').body), { database_name: 'sales_copy', source: { type: 'BACKUP' } });
      assert.deepEqual(JSON.parse(r('restorePointInTime').body), { name: 'sales_at_noon', restoreDateTime: '2024-05-01T12:00:00.000Z' });
      assert.equal(JSON.parse(r('importFromS3').body).source.s3_details.s3_access_secret, SECRET);
    });
  }
});

test('the client masks secrets in built requests', () => {
  const text = JSON.stringify(results.maskedImport);
  assert.ok(!text.includes(SECRET) && !text.includes(TOKEN));
  assert.equal(results.maskedImport.headers.authorization, 'Bearer ***');
});

test('validateImport reports every problem with path and code, and masks the secret in normalized', () => {
  assert.equal(results.validateValid.ok, true);
  assert.deepEqual(results.validateValid.errors, []);
  assert.equal(results.validateValid.normalized.s3.secretKey, '***');
  assert.equal(results.validateValid.normalized.s3.bucket, 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/');
  const codes = results.validateMany.errors.map((e) => `${e.path}:${e.code}`);
  for (const expected of ['/instanceId:format', '/database_name:reserved_name', '/source/database_owner:required',
    '/source/s3_details/s3_bucket:format', '/source/s3_details/s3_access_key:format',
    '/source/s3_details/s3_files/1/file_path:type', '/source/s3_details/s3_files/0/file_number:gap']) {
    assert.ok(codes.includes(expected), `${expected} in ${codes}`);
  }
  assert.equal(results.validateMany.ok, false);
  assert.ok(results.validateMany.errors.every((e) => e.message && e.field !== undefined));
  assert.deepEqual(results.validateWithClient.errors.map((e) => e.code), ['format']);
  assert.deepEqual(results.validateWarnings.warnings.map((e) => e.code), ['unusual_extension']);
  assert.equal(results.validateWarnings.ok, true);
});

test('no validation output, error or masked request contains a secret', () => {
  const { validateValid, validateMany, validateWithClient, validateWarnings, wrongTypes, maskedImport, curlMasked } = results;
  const text = JSON.stringify({ validateValid, validateMany, validateWithClient, validateWarnings, wrongTypes, maskedImport, curlMasked });
  assert.ok(!text.includes(SECRET) && !text.includes(TOKEN));
});

test('wrong types, unknown operations and bad times are ValidationErrors', () => {
  for (const outcome of results.wrongTypes) assert.equal(outcome.error?.name, 'ValidationError', JSON.stringify(outcome));
  assert.deepEqual(results.unknownOperation.error.errors, [':unknown']);
  assert.deepEqual(results.badPitrTime.error.errors, ['/restoreDateTime:format']);
  assert.deepEqual(results.invalidDate.error.errors, ['/restoreDateTime:type']);
});

test('3000 random JSON inputs never panic the module', () => {
  assert.deepEqual(Object.keys(results.fuzzOutcomes).sort().filter((k) => !['ok', 'ValidationError'].includes(k)), []);
  assert.ok(results.fuzzOutcomes.ValidationError > 100);
  assert.match(results.afterFuzz, /\/restores$/);
});

test('the curl command reproduces the documented call when a shell runs it', () => {
  const masked = results.curlMasked;
  assert.ok(masked.startsWith('curl -D- -X POST -H "Authorization: Bearer $TOKEN" '), masked);
  assert.ok(!masked.includes(SECRET) && !masked.includes(TOKEN));
  // A stand-in `curl` prints its arguments; the shell expands $TOKEN and $S3_SECRET_KEY.
  const run = spawnSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }; ${masked}`], {
    encoding: 'utf8', env: { PATH: process.env.PATH, TOKEN: 'shell-token', S3_SECRET_KEY: 'it\'s-$ecret/+x' },
  });
  assert.equal(run.status, 0, run.stderr);
  const args = run.stdout.split('\0').slice(0, -1);
  const wire = api.buildImportRequest({ projectId: PROJECT, region: 'eu01', token: 'shell-token', apiVersion: 'v3alpha1' },
    importInput({ s3: { ...importInput().s3, secretKey: 'it\'s-$ecret/+x' } }));
  assert.deepEqual(args.slice(0, 4), ['-D-', '-X', 'POST', '-H']);
  assert.ok(args.includes('Authorization: Bearer shell-token'));
  assert.ok(args.includes('Content-Type: application/json'));
  assert.deepEqual(JSON.parse(args[args.indexOf('--data') + 1]), JSON.parse(wire.body));
  assert.equal(args.at(-1), wire.url);
  assert.equal(wire.url, `${base('v3alpha1')}/restores`);
  assert.ok(results.curlRevealed.includes(SECRET));
});

describe('in headless Chromium', () => {
  let site;
  let browser;
  before(async () => {
    site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests') } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  test('the browser entry produces exactly the same results', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/pkg/package.json`);
    const remote = await page.evaluate(async () => {
      const browserApi = await import('/pkg/browser.mjs');
      const { requestCases: cases } = await import('/tests/js/support/request-cases.mjs');
      return cases(browserApi);
    });
    assert.deepEqual(remote, results);
    await page.close();
  });
});
