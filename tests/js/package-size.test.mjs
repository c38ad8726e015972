// The weight budget of the browser package (wasm + browser entry, minified, gzip -9): measured on the
// built pkg/ (this test builds nothing), limited by tools/size-budget.mjs. A size check, not a timing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { browserPackageSize } from '../../tools/package-size.mjs';
import { BUDGET_BYTES, GOAL_BYTES } from '../../tools/size-budget.mjs';

const pkg = fileURLToPath(new URL('../../pkg', import.meta.url));

test('the browser package (wasm + browser.mjs bundled, minified, gzip -9) stays within its budget', async (t) => {
  assert.ok(existsSync(join(pkg, 'browser.mjs')), 'pkg/ is not built: run `node tools/build.mjs` (npm test builds it)');
  const size = await browserPackageSize(pkg);
  const wasm = size.wasm.map((w) => `${w.file} ${w.gzip} B`).join(', ');
  t.diagnostic(`total ${size.total} B (${wasm}, browser JS ${size.js.minifiedGzip} B); budget ${BUDGET_BYTES} B, goal ${GOAL_BYTES} B`);
  assert.ok(size.wasm.length > 0, 'pkg/wasm/ holds no .wasm');
  assert.ok(size.total <= BUDGET_BYTES,
    `the browser package weighs ${size.total} B gzip (${wasm}, browser JS ${size.js.minifiedGzip} B), over the budget of ${BUDGET_BYTES} B in tools/size-budget.mjs`);
});
