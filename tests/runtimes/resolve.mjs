// Prints, as JSON, where this runtime resolves each of the package's specifiers for `import` (and
// for `require`, where the runtime has it), relative to the package directory.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const specifiers = ['sqlserverflex-restore', 'sqlserverflex-restore/slim', 'sqlserverflex-restore/emulator',
  'sqlserverflex-restore/sqlserverflex_restore_bg.wasm', 'sqlserverflex-restore/package.json'];
const packageRoot = new URL('./node_modules/sqlserverflex-restore/', import.meta.url).href;
const require = createRequire(import.meta.url);

function attempt(resolve) {
  try {
    const resolved = resolve();
    // require.resolve gives a path: as a URL it compares with import.meta.url whatever the folder is called.
    const url = resolved.startsWith('file:') ? resolved : pathToFileURL(resolved).href;
    return url.startsWith(packageRoot) ? url.slice(packageRoot.length) : url;
  } catch (error) {
    return `error: ${error.code ?? error.message}`;
  }
}

const result = {};
for (const specifier of specifiers) {
  result[specifier] = { import: attempt(() => import.meta.resolve(specifier)) };
  if (!globalThis.Deno) result[specifier].require = attempt(() => require.resolve(specifier));
}
console.log(JSON.stringify(result));
