// Conformance against the OpenAPI specs (../shared/api/*.json from the repository root): every
// restore-related operation of v3 and v3alpha1 is called on the emulator and must answer with the
// declared success status and a body matching the declared schema; its declared 401/404 (and the
// restore operations' 400/422) error bodies are checked the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSchema } from './support/schema-check.mjs';
import { call, startTestEmulator } from './support/helpers.mjs';
import { defaultScenario, DEFAULT_PROJECT_ID, DEFAULT_INSTANCE_ID, DEFAULT_EXISTING_DATABASE } from '../../pkg-template/emulator/index.mjs';

const REPO_ROOT = new URL('../../', import.meta.url);
const SHARED_API = new URL('../shared/api/', REPO_ROOT);
const BUNDLED_API = new URL('pkg-template/emulator/openapi/', REPO_ROOT);
const SPEC_FILES = { v3: 'sqlserverflex-v3.json', v3alpha1: 'sqlserverflex-v3alpha1.json' };
const SPEC_DIR = existsSync(fileURLToPath(new URL(SPEC_FILES.v3, SHARED_API))) ? SHARED_API : BUNDLED_API;
const specs = Object.fromEntries(Object.entries(SPEC_FILES).map(([version, file]) => [version, JSON.parse(readFileSync(new URL(file, SPEC_DIR), 'utf8'))]));

/** The restore-related operations, by method and path below /instances/{instanceId}. */
const OPERATIONS = [
  ['post', '/restores'],
  ['post', '/backups/databases/{databaseName}/restores'],
  ['get', '/restore-jobs'],
  ['get', '/backups'],
  ['get', '/backups/{backupId}'],
  ['get', '/databases'],
  ['get', '/databases/{databaseName}'],
  ['get', ''],
  ['get', '/users'],
];

test('the bundled OpenAPI copies are unmodified copies of ../shared/api', { skip: SPEC_DIR !== SHARED_API && 'no ../shared/api here' }, () => {
  for (const file of Object.values(SPEC_FILES)) {
    assert.ok(readFileSync(new URL(file, SHARED_API)).equals(readFileSync(new URL(file, BUNDLED_API))), file);
  }
});

let emulator;
before(async () => {
  // The default world plus what the spec's own request examples refer to (owner "MyUser",
  // managed backups of "customer_production_db").
  const scenario = defaultScenario();
  scenario.instances[0].logins.push('MyUser');
  scenario.instances[0].backups.push({ databaseName: 'customer_production_db', completedMinutesAgo: 600 });
  emulator = await startTestEmulator({ scenario });
});
after(() => emulator.stop());

function operation(version, method, suffix) {
  const path = `/${version}/projects/{projectId}/regions/{region}/instances/{instanceId}${suffix}`;
  const op = specs[version].paths[path]?.[method];
  assert.ok(op, `${method.toUpperCase()} ${path} is in the ${version} spec`);
  return { path, op };
}

function resolveRef(spec, node) {
  return node?.$ref ? node.$ref.replace(/^#\//, '').split('/').reduce((n, p) => n[p], spec) : node;
}

function concretePath(spec, path, op) {
  const params = op.parameters.map((p) => resolveRef(spec, p)).filter((p) => p.in === 'path');
  const values = { projectId: DEFAULT_PROJECT_ID, instanceId: DEFAULT_INSTANCE_ID, databaseName: DEFAULT_EXISTING_DATABASE, backupId: '1' };
  return params.reduce((p, param) => p.replace(`{${param.name}}`, param.schema.enum?.[0] ?? values[param.name]), path);
}

/** A request body from the spec: its first named example, else built from property examples. */
function requestBody(spec, op) {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return undefined;
  if (media.examples) return Object.values(media.examples)[0].value;
  const schema = resolveRef(spec, media.schema);
  return Object.fromEntries(Object.entries(schema.properties).map(([name, prop]) => [name, resolveRef(spec, prop).example]));
}

function assertConforms(spec, op, response, status) {
  const declared = op.responses[String(status)];
  assert.ok(declared, `status ${status} is declared`);
  const schema = declared.content?.['application/json']?.schema;
  if (!schema) {
    assert.equal(response.text, '', `HTTP ${status} declares no body`);
    return;
  }
  assert.deepEqual(checkSchema(response.json, schema, spec), [], `HTTP ${status} body: ${response.text}`);
}

for (const version of Object.keys(SPEC_FILES)) {
  const spec = specs[version];

  test(`${version}: every restore-related operation answers its declared success with a conforming body`, async () => {
    emulator.reset();
    for (const [method, suffix] of OPERATIONS) {
      const { path, op } = operation(version, method, suffix);
      const success = Object.keys(op.responses).filter((code) => code.startsWith('2'));
      assert.equal(success.length, 1, `${path}: one declared success status`);
      let body = requestBody(spec, op);
      if (suffix.endsWith('{databaseName}/restores')) {
        body = { ...body, restoreDateTime: new Date(emulator.now() - 3_600_000).toISOString() };
      }
      const response = await call(emulator, method.toUpperCase(), concretePath(spec, path, op), { body });
      assert.equal(response.status, Number(success[0]), `${method.toUpperCase()} ${path}: ${response.text}`);
      assertConforms(spec, op, response, response.status);
      if (suffix === '/restore-jobs') assert.ok(response.json.runningRestores.length >= 2, 'the restores started above are listed');
    }
  });

  test(`${version}: both of the spec's /restores request examples are accepted`, async () => {
    emulator.reset();
    const { op, path } = operation(version, 'post', '/restores');
    for (const example of Object.values(op.requestBody.content['application/json'].examples)) {
      const response = await call(emulator, 'POST', concretePath(spec, path, op), { body: example.value });
      assert.equal(response.status, 202, `${example.summary}: ${response.text}`);
    }
  });

  test(`${version}: declared 401 and 404 error bodies conform`, async () => {
    for (const [method, suffix] of OPERATIONS) {
      const { path, op } = operation(version, method, suffix);
      const concrete = concretePath(spec, path, op);
      const body = requestBody(spec, op);
      const unauthorized = await call(emulator, method.toUpperCase(), concrete, { token: null, body });
      assert.equal(unauthorized.status, 401);
      assertConforms(spec, op, unauthorized, 401);
      const unknownInstance = concrete.replace(DEFAULT_INSTANCE_ID, '99999999-9999-4999-8999-999999999999');
      const notFound = await call(emulator, method.toUpperCase(), unknownInstance, { body });
      assert.equal(notFound.status, 404);
      assertConforms(spec, op, notFound, 404);
    }
  });

  test(`${version}: /restores 400 and point-in-time 422 bodies conform`, async () => {
    const restores = operation(version, 'post', '/restores');
    const bad = await call(emulator, 'POST', concretePath(spec, restores.path, restores.op), { body: { database_name: 'tempdb' } });
    assert.equal(bad.status, 400);
    assertConforms(spec, restores.op, bad, 400);
    const pitr = operation(version, 'post', '/backups/databases/{databaseName}/restores');
    const invalid = await call(emulator, 'POST', concretePath(spec, pitr.path, pitr.op), { body: { name: 'a-b' } });
    assert.equal(invalid.status, 422);
    assertConforms(spec, pitr.op, invalid, 422);
  });
}
