// A Worker that validates an import request and performs the import against the emulator
// (`?emulator=<url>`), with the package bundled as wrangler does (conditions workerd, worker, browser).
import './refuse-wasm-from-bytes.mjs';
import * as api from 'sqlserverflex-restore';
import { importFlow } from '../flow.mjs';

export default {
  async fetch(request) {
    const emulator = new URL(request.url).searchParams.get('emulator');
    try {
      return Response.json(await importFlow(api, emulator, 'workerd'));
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
