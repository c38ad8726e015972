// A browser app bundled by esbuild with the package's `browser` entry, which fetches
// `wasm/sqlserverflex_restore_bg.wasm` next to the bundle (esbuild leaves `new URL(…, import.meta.url)`
// alone, so the build copies the file there). Results go to `window.result` (`?emulator=<url>`).
import * as api from 'sqlserverflex-restore';
import { fullFlow } from '../flow.mjs';

const emulator = new URL(location.href).searchParams.get('emulator');
window.result = fullFlow(api, emulator, 'browser_default').then(
  (value) => ({ value }),
  (error) => ({ error: String(error?.stack ?? error) }),
);
