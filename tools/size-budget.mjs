// The size budget of the browser package: the wasm plus the browser entry bundled and minified, each
// gzip -9 (tools/package-size.mjs measures it). Read by the size test in `npm test`
// (tests/js/package-size.test.mjs) and by bench/package-size.mjs; change it here only.

/** The goal: 85 KiB, below an `@aws-sdk/client-s3` + `lib-storage` app doing the same S3 work. Not met yet. */
export const GOAL_BYTES = 85 * 1024; // 87,040 B

/**
 * What `npm test` enforces: a ratchet, not the goal. The total measured last (204,356 B: wasm 195,028 +
 * browser JS 9,328; 229,053 B when the check was added), plus under 1 KiB for zlib versions, rounded to
 * a KiB. Lower it whenever the package shrinks, until it reaches GOAL_BYTES.
 */
export const BUDGET_BYTES = 201 * 1024; // 205,824 B
