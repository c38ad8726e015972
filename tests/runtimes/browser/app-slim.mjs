// A browser app bundled by esbuild with the slim entry: esbuild's `file` loader turns the package's
// `./sqlserverflex_restore_bg.wasm` export into a URL, and the app hands `init` the fetch Response.
import wasmUrl from 'sqlserverflex-restore/sqlserverflex_restore_bg.wasm';
import * as slim from 'sqlserverflex-restore/slim';
import { fullFlow } from '../flow.mjs';

const emulator = new URL(location.href).searchParams.get('emulator');
window.result = (async () => {
  const api = await slim.init(fetch(wasmUrl));
  return { liveBindings: slim.RestoreClient === api.RestoreClient, ...(await fullFlow(api, emulator, 'browser_slim')) };
})().then((value) => ({ value }), (error) => ({ error: String(error?.stack ?? error) }));
