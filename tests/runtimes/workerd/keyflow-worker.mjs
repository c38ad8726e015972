// A Worker that runs the service-account key flow: workerd's WebCrypto makes the key pair and signs
// the RS512 JWT the client exchanges at the emulator's token endpoint (`?emulator=<url>`).
import './refuse-wasm-from-bytes.mjs';
import * as api from 'sqlserverflex-restore';
import { keyFlow } from '../flow.mjs';

export default {
  async fetch(request) {
    const emulator = new URL(request.url).searchParams.get('emulator');
    try {
      return Response.json(await keyFlow(api, emulator));
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
