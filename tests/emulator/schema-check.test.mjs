// The conformance test's schema checker must itself catch what it is meant to catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchema } from './support/schema-check.mjs';

const spec = {
  components: {
    schemas: {
      Id: { type: 'integer', format: 'int32' },
      Wrapped: { allOf: [{ $ref: '#/components/schemas/Id' }] },
      Thing: {
        type: 'object',
        required: ['id', 'tags', 'state'],
        properties: {
          id: { $ref: '#/components/schemas/Wrapped' },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
          state: { type: 'string', enum: ['READY', 'FAILURE'] },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
};
const thing = { $ref: '#/components/schemas/Thing' };

test('a conforming value has no problems', () => {
  assert.deepEqual(checkSchema({ id: 1, tags: ['a'], state: 'READY', labels: { team: 'x' } }, thing, spec), []);
});

test('missing required, wrong types, enum, undeclared fields, minItems, int32 range', () => {
  assert.deepEqual(checkSchema({ tags: [], state: 'SLEEPY', extra: 1 }, thing, spec).sort(), [
    '$.extra: not declared by the schema',
    '$.id: required but missing',
    '$.state: "SLEEPY" is not one of ["READY","FAILURE"]',
    '$.tags: fewer than 1 items',
  ]);
  assert.deepEqual(checkSchema({ id: 2 ** 31, tags: [1], state: 'READY', labels: { a: 1 } }, thing, spec).sort(), [
    '$.id: out of int32 range',
    '$.labels.a: expected string, got 1',
    '$.tags[0]: expected string, got 1',
  ]);
  assert.deepEqual(checkSchema('x', thing, spec), ['$: expected object']);
  assert.deepEqual(checkSchema({ id: 1.5, tags: ['a'], state: 'READY' }, thing, spec), ['$.id: expected integer, got 1.5']);
});
