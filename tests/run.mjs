// `npm test`: installs what is missing, then runs every test — host Rust tests, wasm tests in Node
// and headless Chromium against the emulator, JS tests of the built package (Node ESM/CJS, Chromium
// page), the emulator's own tests, the type check of the shipped .d.ts, clippy's panic lints, the fuzz
// smoke run, the dependency audit and the import-cycle check.
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, linkPackage } from '../tools/build.mjs';
import { chromedriverPath, ensureTestTools, root, run, runAsync } from '../tools/toolchain.mjs';
import { auditCrates, auditPackage } from '../tools/dependency-audit.mjs';

const started = Date.now();
const step = (name) => console.log(`\n=== ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

step('import cycles: Rust modules of the crate, JS modules of the package, the sites, the examples and tools/ (tools/cycles.mjs)');
// Rust: no module imports another that imports it back (a child never imports its parent), and the
// top-level folders (concerns) depend on each other in one direction.
run(process.execPath, ['tools/cycles.mjs', '--concerns', '--rust', 'src/lib.rs']);
run(process.execPath, ['tools/cycles.mjs', '--js', 'pkg-template', '--js', 'www', '--js', 'examples', '--js', 'tools']);

step('toolchain');
await ensureTestTools();

step('host Rust tests');
run('cargo', ['test', '--quiet']);

step('clippy (panic-freedom lints, warnings are errors)');
run('cargo', ['clippy', '--quiet', '--all-targets', '--', '-D', 'warnings']);
run('cargo', ['clippy', '--quiet', '--lib', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings']);

step('fuzz smoke run: parsers and validation on random input, 30 s per target (longer: see tests/fuzz/README.md)');
for (const target of ['mtf_inspect', 'lz77_huffman', 'backup_tail', 's3_xml', 'import_validation', 'api_responses', 'retry_after']) {
  run('cargo', ['fuzz', 'run', '--fuzz-dir', 'tests/fuzz', target, '--', '-max_total_time=30', '-print_final_stats=1'], {
    env: { ...process.env, RUSTC_BOOTSTRAP: '1' },
  });
}

step('build pkg/');
const pkg = await build();
linkPackage(pkg);

step('dependency audit: RustSec advisories for Cargo.lock, npm advisories for the runtime dependencies (none)');
auditCrates();
auditPackage(pkg);

step('wasm tests (Node, then headless Chromium) against the emulator');
const { startEmulator } = await import(pathToFileURL(join(pkg, 'emulator', 'index.mjs')).href); // a bare path would be read as a URL: a '#' or '%' in it breaks
const emulator = await startEmulator({ port: 0 });
try {
  const env = {
    ...process.env,
    // npm puts node_modules/.bin first, where the Node 18 test binary is; the runner must use this Node.
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
    SSFR_EMULATOR_URL: emulator.url,
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner',
  };
  const wasmTest = ['test', '--target', 'wasm32-unknown-unknown', '--test', 'wasm_bindings'];
  // Async: the emulator runs in this process and must keep answering.
  await runAsync('cargo', wasmTest, { env });
  await runAsync('cargo', wasmTest, { env: { ...env, WASM_BINDGEN_USE_BROWSER: '1', CHROMEDRIVER: chromedriverPath } });
} finally {
  await emulator.stop();
}

step('type check of the shipped index.d.ts');
run(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', join(root, 'tests', 'types')]);

step('JS tests: built package in Node and Chromium, emulator, build and test tools');
run(process.execPath, ['--test', '--test-concurrency=1', 'tests/js/', 'tests/emulator/', 'tests/tools/']);

console.log(`\nall test suites passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
