// The module's runtime exports match its declarations, and operation names are the v3 operationIds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as emulatorModule from '../../pkg-template/emulator/index.mjs';

const EMULATOR_DIR = new URL('../../pkg-template/emulator/', import.meta.url);

test('index.d.ts declares exactly the runtime exports of index.mjs', () => {
  const declarations = readFileSync(new URL('index.d.ts', EMULATOR_DIR), 'utf8');
  const declared = [...declarations.matchAll(/^export declare (?:const|function) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(emulatorModule).sort());
});

test('EMULATED_OPERATIONS are operationIds of the bundled v3 spec', () => {
  const spec = JSON.parse(readFileSync(new URL('openapi/sqlserverflex-v3.json', EMULATOR_DIR), 'utf8'));
  const operationIds = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  for (const operation of emulatorModule.EMULATED_OPERATIONS) assert.ok(operationIds.includes(operation), operation);
  assert.equal(emulatorModule.EMULATED_OPERATIONS.length, 9);
});

test('the OpenAPI NOTICE names the copyright holder and the licence', () => {
  const notice = readFileSync(new URL('openapi/NOTICE', EMULATOR_DIR), 'utf8');
  assert.ok(notice.startsWith('STACKIT API Specifications — Copyright 2024 Schwarz IT KG\n'));
  assert.match(notice, /Apache License, Version 2\.0/);
  assert.match(notice, /unmodified copies/);
});
