// The built package imported as a user would (`import` and `require` through its exports map),
// running real imports against the emulator over HTTP on loopback.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import * as esm from 'sqlserverflex-restore';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import {
  BUCKET, INSTANCE_ID, PROJECT_ID, S3_SECRET, TOKEN, clientOptions, importInput, recordedRequests, uniqueDatabase,
} from './support/fixtures.mjs';

const cjs = createRequire(import.meta.url)('sqlserverflex-restore');
let emulator;

before(async () => {
  emulator = await startEmulator({ port: 0 });
});
after(() => emulator.stop());

for (const [flavour, api] of [['ESM import', esm], ['CJS require', cjs]]) {
  describe(flavour, () => {
    test('exports the client, the builder and the version', () => {
      assert.equal(typeof api.RestoreClient, 'function');
      assert.equal(typeof api.buildImportRequest, 'function');
      assert.match(api.version, /^\d+\.\d+\.\d+/);
    });

    for (const apiVersion of ['v3', 'v3alpha1']) {
      test(`importFromS3 (${apiVersion}) is accepted and the emulator receives the documented body`, async () => {
        const client = new api.RestoreClient(clientOptions(emulator.url, { apiVersion }));
        const databaseName = uniqueDatabase(`node_${apiVersion}`);
        const result = await client.importFromS3(importInput(databaseName));
        assert.equal(result.accepted, true);
        assert.equal(result.status, 202);
        assert.match(result.traceId, /^[0-9a-f]{32}$/);
        assert.equal(result.loggingGuid, '1');

        const recorded = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(databaseName));
        assert.equal(recorded.length, 1, 'exactly one restore request was sent');
        const [request] = recorded;
        assert.equal(request.path, `/${apiVersion}/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restores`);
        const body = typeof request.body === 'string' ? JSON.parse(request.body) : request.body;
        assert.equal(body.database_name, databaseName);
        assert.equal(body.source.type, 'EXTERNAL_S3');
        assert.equal(body.source.database_owner, 'dbo_owner');
        assert.equal(body.source.logging_guid, '1');
        assert.equal(body.source.s3_details.s3_bucket, BUCKET);
        assert.equal(body.source.s3_details.s3_access_key, 'AKIAEXAMPLE');
        assert.deepEqual(body.source.s3_details.s3_files, [{ file_number: 1, file_path: `${BUCKET}sales.bak` }]);
        assert.ok(!JSON.stringify(recorded).includes(S3_SECRET), 'the emulator recording masks the S3 secret');
      });
    }

    test('an omitted logging GUID is generated as a UUID and returned', async () => {
      const client = new api.RestoreClient(clientOptions(emulator.url));
      const input = importInput(uniqueDatabase('node_guid'));
      delete input.loggingGuid;
      const result = await client.importFromS3(input);
      assert.match(result.loggingGuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    test('bad input is rejected with every field problem and nothing is sent', async () => {
      const client = new api.RestoreClient(clientOptions(emulator.url));
      const before = (await recordedRequests(emulator.url)).length;
      const error = await client.importFromS3({ instanceId: 'not-a-uuid', databaseName: 7, s3: { files: 'x' } }).then(
        () => assert.fail('must reject'),
        (e) => e,
      );
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'ValidationError');
      assert.equal(error.code, 'VALIDATION_ERROR');
      const paths = error.errors.map((e) => `${e.path}:${e.code}`);
      for (const expected of ['/instanceId:format', '/database_name:type', '/source/database_owner:required',
        '/source/s3_details/s3_bucket:required', '/source/s3_details/s3_files:type']) {
        assert.ok(paths.includes(expected), `${expected} in ${paths}`);
      }
      assert.equal((await recordedRequests(emulator.url)).length, before, 'no request reached the emulator');
    });

    test('an API error rejects with status, code, message and trace id', async () => {
      const client = new api.RestoreClient(clientOptions(emulator.url));
      const error = await client
        .importFromS3(importInput(uniqueDatabase('node_404'), { instanceId: '99999999-9999-4999-8999-999999999999' }))
        .then(() => assert.fail('must reject'), (e) => e);
      assert.equal(error.name, 'NotFoundError');
      assert.ok(api.NotFoundError.isInstance(error) && api.RestoreError.isInstance(error) && !api.AuthError.isInstance(error));
      assert.ok(error instanceof api.NotFoundError, 'a real subclass instance');
      assert.equal(error.status, 404);
      assert.equal(error.retryable, false);
      assert.equal(error.attempts, 1);
      assert.ok(error.code && error.code !== 'HTTP_404', `code from the body's type: ${error.code}`);
      assert.ok(error.message.length > 0);
      assert.ok(error.traceId);
      assert.ok(!String(error.stack).includes(S3_SECRET) && !inspect(error).includes(TOKEN));
    });

    test('a wrong token is a 401 ApiError', async () => {
      const client = new api.RestoreClient(clientOptions(emulator.url, { token: 'not-a-valid-token' }));
      const error = await client.importFromS3(importInput(uniqueDatabase('node_401'))).then(() => assert.fail(), (e) => e);
      assert.equal(error.name, 'AuthError');
      assert.equal(error.status, 401);
      assert.ok(!inspect(error).includes('not-a-valid-token'));
    });

    test('a refused connection is a NetworkError', async () => {
      const client = new api.RestoreClient(clientOptions('http://127.0.0.1:9'));
      const error = await client.importFromS3(importInput(uniqueDatabase('node_net'))).then(() => assert.fail(), (e) => e);
      assert.equal(error.name, 'NetworkError');
      assert.equal(error.code, 'NETWORK_ERROR');
    });

    test('plain http to a non-loopback host is refused when the client is made', () => {
      let error;
      try {
        new api.RestoreClient(clientOptions('http://api.example.com'));
      } catch (e) {
        error = e;
      }
      assert.equal(error?.name, 'ValidationError');
      assert.deepEqual(error.errors.map((e) => e.code), ['insecure']);
    });

    test('a custom fetch is used instead of the global one', async () => {
      const calls = [];
      const fetch = (url, init) => {
        calls.push({ url, init });
        return globalThis.fetch(url, init);
      };
      const client = new api.RestoreClient(clientOptions(emulator.url, { fetch }));
      await client.importFromS3(importInput(uniqueDatabase('node_fetch')));
      assert.equal(calls.length, 1);
      assert.equal(calls[0].init.method, 'POST');
      assert.equal(calls[0].init.headers.authorization, `Bearer ${TOKEN}`);
    });

    test('buildImportRequest returns the wire request; the client masks secrets by default', () => {
      const options = clientOptions(emulator.url);
      const input = importInput('built');
      const wire = api.buildImportRequest(options, input);
      assert.equal(wire.method, 'POST');
      assert.equal(wire.url, `${emulator.url}/v3/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restores`);
      assert.equal(wire.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(JSON.parse(wire.body).source.s3_details.s3_access_secret, S3_SECRET);

      const client = new api.RestoreClient(options);
      const masked = client.buildImportRequest(input);
      assert.ok(!JSON.stringify(masked).includes(S3_SECRET));
      assert.equal(masked.headers.authorization, 'Bearer ***');
      assert.ok(!inspect(client).includes(TOKEN) && !JSON.stringify(client).includes(TOKEN));
    });
  });
}
