// Secret sweep: every public operation, on success and on each failure class, run with distinctive
// secret values (bearer token, S3 secret key, service-account private key, and the JWT assertions and
// access tokens the key flow makes from it); none may appear in what the package hands out or leaves
// behind: results, errors (message, stack, JSON, util.inspect, cause), console output, JSON, masked
// curl, the emulator's request recording and log, the CLI's output, and the console page's DOM.
// Targeted secret checks live beside their features; this is the one sweep over all of them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import * as api from 'sqlserverflex-restore';
import { DEFAULT_PROJECT_ID, startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY as S3S_SECRET, startS3Server } from '../support/s3-server.mjs';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { launchChromium, openConsole, pageSurfaces, startConsoleSite } from './support/console-support.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { MORE_OPERATIONS, OPERATIONS, importInput } from './support/operation-table.mjs';
import { largeBackup } from './support/upload-cases.mjs';

const TOKEN = 'sweep-T0KEN-5c1f9e-never-shown';
const UNKNOWN_TOKEN = 'sweep-T0KEN-unknown-8d2a7b-never-shown';
const S3_SECRET = 'sweep-S3CR3T-3e8b0d-never-shown';
/** Every value that must never come out; the key flow adds its private key, assertions and tokens. */
const secrets = new Set([TOKEN, UNKNOWN_TOKEN, S3_SECRET, S3S_SECRET]);

/** Every text form of a value or error a program might print, log or send on. */
function surfaces(thing) {
  if (thing instanceof Error) {
    return [String(thing), thing.message, thing.stack, JSON.stringify(thing), JSON.stringify({ ...thing }),
      inspect(thing, { showHidden: true, depth: 10 }), inspect(thing.cause, { showHidden: true, depth: 10 })].join('\n');
  }
  return `${JSON.stringify(thing)}\n${inspect(thing, { showHidden: true, depth: 10 })}`;
}
function assertClean(text, where) {
  for (const secret of secrets) assert.ok(!String(text).includes(secret), `a secret (${secret.slice(0, 12)}…) appeared in ${where}`);
}
async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/** Console output of this process while the sweep runs (the package must not log secrets either). */
const logged = [];
const originalConsole = {};
function captureConsole() {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    originalConsole[method] = console[method];
    console[method] = (...args) => logged.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
  }
}
function restoreConsole() {
  Object.assign(console, originalConsole);
}

const emulatorLog = [];
let emulator;
let serviceAccountKey;
let ctx;
before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 600, tokens: [TOKEN], log: (line) => emulatorLog.push(line) });
  serviceAccountKey = emulator.addServiceAccount();
  // A distinctive run of the private key's base64 body stands for the whole key.
  const body = serviceAccountKey.credentials.privateKey.split('\n').filter((l) => !l.startsWith('-----')).join('');
  secrets.add(body.slice(100, 164));
  ctx = { backupId: emulator.state.instances[0].backups[0].id, s3Secret: S3_SECRET };
  captureConsole();
});
after(async () => {
  restoreConsole();
  await emulator?.stop();
});

/** fetch that also learns the key flow's assertions and access tokens, so they are searched for too. */
async function learningFetch(url, init) {
  const response = await fetch(url, init);
  if (String(url).endsWith('/token')) {
    const assertion = new URLSearchParams(String(init?.body ?? '')).get('assertion');
    if (assertion) secrets.add(assertion.split('.')[2]);
    const token = (await response.clone().json().catch(() => ({}))).access_token;
    if (token) secrets.add(token);
  }
  return response;
}

const base = { projectId: DEFAULT_PROJECT_ID, region: 'eu01', timeoutMs: 200, maxRetries: 1, retry: { baseDelayMs: 5, maxDelayMs: 10, verifyDelayMs: 10, maxRetryAfterMs: 100 } };
const tokenClient = () => new api.RestoreClient({ ...base, baseUrl: emulator.url, token: TOKEN });
const keyClient = (key = serviceAccountKey) => new api.RestoreClient({ ...base, baseUrl: emulator.url, serviceAccountKey: key, tokenEndpoint: emulator.tokenUrl, fetch: learningFetch });

/** Failure classes: how to bring each about (a client, and faults on the operation). */
const CLASSES = {
  success: { client: tokenClient },
  'key flow success': { client: () => keyClient() },
  'auth (unknown token)': { client: () => new api.RestoreClient({ ...base, baseUrl: emulator.url, token: UNKNOWN_TOKEN }) },
  'auth (unregistered key)': { client: () => keyClient({ ...serviceAccountKey, credentials: { ...serviceAccountKey.credentials, kid: crypto.randomUUID() } }) },
  'not found': { client: tokenClient, fault: { kind: 'status', status: 404 } },
  conflict: { client: tokenClient, fault: { kind: 'status', status: 409 } },
  'rate limit': { client: tokenClient, fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } },
  'server error': { client: tokenClient, fault: { kind: 'status', status: 503 } },
  timeout: { client: tokenClient, fault: { kind: 'stall' } },
  network: { client: tokenClient, fault: { kind: 'reset-before' } },
  'malformed body': { client: tokenClient, fault: { kind: 'malformed-json' } },
};

describe('API operations × failure classes', () => {
  for (const operation of [...OPERATIONS, ...MORE_OPERATIONS]) {
    test(operation.name, async () => {
      const seen = new Set();
      for (const [name, failure] of Object.entries(CLASSES)) {
        emulator.reset();
        if (failure.fault) emulator.faults.add({ operation: operation.emulated, ...failure.fault, times: 'always' });
        const outcome = await settle(operation.call(failure.client(), {}, ctx));
        seen.add(outcome.error ? outcome.error.name : 'ok');
        assertClean(surfaces(outcome.error ?? outcome.value), `${operation.name} / ${name}`);
        assertClean(JSON.stringify(emulator.requests()), `the emulator's recording (${operation.name} / ${name})`);
      }
      // The classes really happened: success and the typed errors, not one error for everything.
      for (const expected of ['ok', 'AuthError', 'ApiError', 'TimeoutError', 'NetworkError', 'RateLimitError']) {
        assert.ok(seen.has(expected), `${operation.name}: no ${expected} among ${[...seen]}`);
      }
    });
  }
});

test('validation errors, masked requests and curl, client JSON and inspection', async () => {
  const client = tokenClient();
  const options = { ...base, baseUrl: emulator.url, token: TOKEN };
  const bad = { ...importInput(S3_SECRET), instanceId: 'not-a-uuid', s3: { ...importInput(S3_SECRET).s3, bucket: 'no-bucket' } };
  const outputs = {
    'invalid client options': (await settle(Promise.resolve().then(() => new api.RestoreClient({ ...options, region: '' })))).error,
    'invalid import (client)': (await settle(client.importFromS3(bad))).error,
    'client.validateImport': client.validateImport(bad),
    'validateImport with options': api.validateImport(importInput(S3_SECRET), options),
    'JSON.stringify(client)': JSON.stringify(client),
    'inspect(client)': inspect(client, { showHidden: true, depth: 10 }),
  };
  for (const operation of ['importFromS3', 'listRestoreJobs', 'getInstance']) {
    const input = operation === 'importFromS3' ? importInput(S3_SECRET) : { instanceId: importInput().instanceId };
    const masked = client.buildRequest(operation, input);
    outputs[`client.buildRequest(${operation})`] = masked;
    outputs[`buildRequest(${operation}, reveal: false)`] = api.buildRequest(operation, options, input, { reveal: false });
    // curl stays masked even from a revealed request.
    outputs[`toCurl(${operation})`] = api.toCurl(api.buildRequest(operation, options, input));
  }
  assert.equal(outputs['invalid client options'].name, 'ValidationError');
  assert.equal(outputs['invalid import (client)'].name, 'ValidationError');
  for (const [where, output] of Object.entries(outputs)) assertClean(surfaces(output), where);
});

test('preflight against a real S3 server: success, refused signature, unreachable endpoint', async () => {
  const s3 = await startS3Server();
  try {
    const [[path, bytes]] = writeBackupFixtures().files;
    s3.put('backups', path, bytes);
    const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/';
    const run = (secretKey, endpoint) => settle(api.preflight({ s3: { bucket, accessKey: ACCESS_KEY, secretKey, endpoint, files: [{ path: `${bucket}${path}` }] }, timeoutMs: 500 }));
    const ok = await run(S3S_SECRET, s3.endpoint);
    assert.equal(ok.value.report.files[0].status, 'read');
    const refused = await run(S3_SECRET, s3.endpoint);
    assert.notEqual(refused.value.report.files[0].status, 'read');
    const unreachable = await run(S3_SECRET, 'http://127.0.0.1:9');
    const listing = await settle(api.preflight({ s3: { bucket, accessKey: ACCESS_KEY, secretKey: S3_SECRET, endpoint: s3.endpoint } }));
    assert.ok(listing.error, 'a refused listing is an error');
    for (const [where, outcome] of Object.entries({ ok, refused, unreachable, listing })) assertClean(surfaces(outcome.error ?? outcome.value), `preflight ${where}`);
    // `inspect` of S3 objects reads them through the preflight: its table, findings and --json.
    const inspect = (secretKey, extra = []) => runCli(['inspect', `${bucket}${path}`, '--endpoint', s3.endpoint, ...extra],
      { env: cleanEnv({ S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: secretKey }) });
    const inspected = { read: await inspect(S3S_SECRET), 'read (--json)': await inspect(S3S_SECRET, ['--json']), refused: await inspect(S3_SECRET, ['--json']) };
    assert.equal(JSON.parse(inspected['read (--json)'].stdout).files[0].kind, 'MTF');
    assert.deepEqual(JSON.parse(inspected.refused.stdout).findings.map((f) => f.code), ['ACCESS_DENIED']);
    for (const [where, run] of Object.entries(inspected)) assertClean(`${run.stdout}\n${run.stderr}`, `CLI inspect ${where}`);
  } finally {
    await s3.stop();
  }
});

test('upload to a real S3 server and from the CLI: multipart success, refused signature, refused file, unreachable endpoint', async () => {
  const s3 = await startS3Server();
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-sweep-'));
  try {
    s3.bucket('backups');
    const full = writeBackupFixtures().files.get('single/full.bak');
    const big = join(dir, 'big.bak');
    writeFileSync(big, largeBackup(full, 11 * 1024 * 1024, 4));
    const noise = join(dir, 'noise.bak');
    writeFileSync(noise, new Uint8Array(70_000).fill(3));
    const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/sweep/';
    const run = (files, secretKey, endpoint = s3.endpoint) => settle(api.upload({ s3: { bucket, accessKey: ACCESS_KEY, secretKey, endpoint }, files },
      { partSize: 5 * 1024 * 1024, timeoutMs: 500, maxRetries: 1 }));
    const outcomes = {
      ok: await run([big], S3S_SECRET),
      refused: await run([big], S3_SECRET),
      'not a backup': await run([noise], S3S_SECRET),
      unreachable: await run([big], S3_SECRET, 'http://127.0.0.1:9'),
    };
    assert.deepEqual(Object.values(outcomes).map((o) => o.error?.name), [undefined, 'AuthError', 'PreflightError', 'NetworkError']);
    for (const [where, outcome] of Object.entries(outcomes)) assertClean(surfaces(outcome.error ?? outcome.value), `upload ${where}`);

    const env = cleanEnv({ S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: S3S_SECRET });
    const cli = (file, extra = []) => runCli(['upload', file, '--to', bucket, '--s3-endpoint', s3.endpoint, '--part-size', '5', ...extra], { env });
    const runs = {
      uploaded: await cli(big, ['--json']),
      'refused signature': await runCli(['upload', big, '--to', bucket, '--s3-endpoint', s3.endpoint, '--secret-key', S3_SECRET], { env }),
      'refused file': await cli(noise),
    };
    assert.deepEqual(Object.values(runs).map((r) => r.code), [0, 3, 5], JSON.stringify(Object.values(runs).map((r) => r.stderr)));
    for (const [where, outcome] of Object.entries(runs)) assertClean(`${outcome.stdout}\n${outcome.stderr}`, `CLI upload ${where}`);
  } finally {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI: dry run with curl, accepted import, refused token, refused import, unreachable API', async () => {
  const env = cleanEnv({ S3_ACCESS_KEY: 'AK', S3_SECRET_KEY: S3_SECRET, STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN });
  const importArgs = (databaseName, extra = []) => ['import', ...emulatorFlags(emulator.url), '--instance', importInput().instanceId,
    '--database', databaseName, '--owner', 'dbo_owner', '--bucket', importInput().s3.bucket, '--file', 'db.bak', ...extra];
  emulator.reset();
  const runs = {
    'dry run with curl': await runCli(importArgs('sweep_cli_dry', ['--dry-run', '--curl']), { env }),
    'accepted import': await runCli(importArgs('sweep_cli_ok', ['--json']), { env }),
    'refused token': await runCli(importArgs('sweep_cli_auth'), { env: { ...env, STACKIT_SERVICE_ACCOUNT_TOKEN: UNKNOWN_TOKEN } }),
  };
  // (A 4xx: a 5xx answer to a trigger is checked for slowly, with the CLI's default delays.)
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'status', status: 409, times: 'always' });
  runs['refused import'] = await runCli(importArgs('sweep_cli_409'), { env });
  runs['unreachable API'] = await runCli(['jobs', '--base-url', 'http://127.0.0.1:9', '--project', DEFAULT_PROJECT_ID, '--region', 'eu01', '--instance', importInput().instanceId], { env });
  assert.deepEqual(Object.values(runs).map((r) => r.code === 0), [true, true, false, false, false], JSON.stringify(Object.values(runs).map((r) => r.stderr)));
  for (const [where, run] of Object.entries(runs)) assertClean(`${run.stdout}\n${run.stderr}`, `CLI ${where}`);
  assertClean(JSON.stringify(emulator.requests()), "the emulator's recording (CLI)");
});

test('the console page: an import refused by the service leaves no secret in the DOM, storage or console', async () => {
  const site = await startConsoleSite();
  const browser = await launchChromium();
  try {
    emulator.reset();
    emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'status', status: 409, times: 'always' });
    const { page, problems } = await openConsole(browser, site.url, emulator.url);
    const messages = [];
    page.on('console', (message) => messages.push(message.text()));
    await page.fill('#token', TOKEN);
    await page.press('#token', 'Tab');
    await page.fill('#database-name', 'sweep_console');
    await page.fill('#database-owner', 'dbo_owner');
    await page.fill('#s3-bucket', importInput().s3.bucket);
    await page.fill('#s3-access-key', 'AK');
    await page.fill('#file-1', importInput().s3.files[0].path);
    await page.fill('#s3-secret-key', S3_SECRET);
    await page.press('#s3-secret-key', 'Tab');
    await page.click('#trigger');
    await page.click('#confirm-start');
    await page.locator('#run-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#run-error'), /HTTP 409/);
    assertClean(JSON.stringify(await pageSurfaces(page)), 'the console page');
    assertClean([...messages, ...problems].join('\n'), "the page's console");
    await page.close();
  } finally {
    await browser.close();
    await site.stop();
  }
});

test('nothing was logged with a secret: this process and the emulator log', () => {
  assert.ok(emulatorLog.length > 0, 'the emulator logged requests');
  assertClean(logged.join('\n'), 'console output');
  assertClean(emulatorLog.join('\n'), "the emulator's log");
  // The key flow really ran: its assertions and tokens were among the values searched for.
  assert.ok(secrets.size >= 7, `only ${secrets.size} secrets were searched for`);
});
