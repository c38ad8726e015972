// The size budget of the browser package: the wasm plus the browser entry bundled and minified, each
// gzip -9 (tools/package-size.mjs measures it). Read by the size test in `npm test`
// (tests/js/package-size.test.mjs) and by bench/package-size.mjs; change it here only.

/** The goal of issue #18: 85 KiB, below an `@aws-sdk/client-s3` + `lib-storage` app. Not met yet. */
export const GOAL_BYTES = 85 * 1024; // 87,040 B

/**
 * What `npm test` enforces: a ratchet, not the goal. It is the total measured when the check was
 * added (229,053 B: wasm 219,744 + browser JS 9,309), rounded up to the next KiB; lower it whenever
 * the package shrinks, until it reaches GOAL_BYTES.
 */
export const BUDGET_BYTES = 224 * 1024; // 229,376 B
