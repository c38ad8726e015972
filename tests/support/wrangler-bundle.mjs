// How wrangler bundles a Worker, for esbuild: the conditions workerd, worker, browser, and every `.wasm`
// import kept as a separate `CompiledWasm` module (wrangler's default rule), copied beside the bundle.
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** esbuild options shared by every Worker bundle; `outdir` receives the `.wasm` files. */
export function wranglerOptions(outdir) {
  const wasmModules = {
    name: 'wasm-modules',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = join(args.resolveDir, args.path);
        copyFileSync(file, join(outdir, basename(file)));
        return { path: `./${basename(file)}`, external: true };
      });
    },
  };
  return {
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'], plugins: [wasmModules], logLevel: 'warning',
  };
}
