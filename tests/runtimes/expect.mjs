// Assertions on what flow.mjs returns, shared by the runtime tests so every runtime is held to the same behaviour.
import assert from 'node:assert/strict';
import { INSTANCE_ID, PROJECT_ID } from './flow.mjs';

/**
 * @param {object} result   importFlow's result
 * @param {{ userAgent: RegExp, exports: string[] }} expected  the User-Agent tells which entry ran;
 *   `exports`: the Node ESM entry's export names (harness.mjs `referenceExports`), which every entry must match
 */
export function assertImportFlow(result, { userAgent, exports }) {
  assert.deepEqual(result.exports, exports, 'the entry exports the same names as the Node entry');
  assert.match(result.version, /^\d+\.\d+\.\d+/);
  assert.equal(result.validation.badOk, false);
  for (const expected of ['instanceId:format', 'databaseName:reserved_name', 'databaseOwner:required', 's3.bucket:required']) {
    assert.ok(result.validation.badCodes.includes(expected), `${expected} in ${result.validation.badCodes}`);
  }
  assert.equal(result.validation.goodOk, true);
  assert.equal(result.validation.goodSecret, '***', 'validation masks the S3 secret');
  assert.deepEqual(result.curl, { masked: true, leaks: false });
  assert.equal(result.accepted.accepted, true);
  assert.equal(result.accepted.status, 202);
  assert.match(result.accepted.traceId, /^[0-9a-f]{32}$/);
  assert.match(result.accepted.loggingGuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a random logging GUID');
  assert.equal(result.recorded.posts, 1, 'the emulator received exactly one restore request');
  assert.equal(result.recorded.path, `/v3/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restores`);
  assert.equal(result.recorded.sourceType, 'EXTERNAL_S3');
  assert.match(result.recorded.userAgent ?? '', userAgent);
  assert.deepEqual(result.notFound, { rejected: true, name: 'NotFoundError', status: 404, instanceOf: true, isInstance: true, leaks: false });
  assert.deepEqual(result.invalid, { rejected: true, name: 'ValidationError', instanceOf: true });
  assert.deepEqual(result.preflight, {
    instanceCheck: 'passed',
    invalid: { rejected: true, name: 'ValidationError', instanceOf: true },
  }, 'the client preflight reads the instance, and the preflight\'s errors are the package\'s classes');
}

export function assertKeyFlow(result) {
  assert.deepEqual(result, {
    instanceId: INSTANCE_ID,
    runningRestoresIsArray: true,
    tokenRequests: 1,
    tokenStatus: 200,
    leaks: false,
  }, 'the JWT signed with this runtime\'s WebCrypto was accepted and one token served both calls');
}
