// The `npm start` demo hands the console its settings — emulator, project, instance, the emulator's
// token, the demo bucket and its keys — over GET /_demo/settings.json on the console's own origin,
// so nothing secret travels in the URL (www/console/demo.js reads it when the page has `?demo=1`
// and keeps the token and the S3 secret key in the tab's memory only). Only this local demo
// serves it: loopback only, no CORS headers (other sites' pages cannot read it), and the Host must
// be the server's own (a DNS-rebinding page cannot either).
export const DEMO_SETTINGS_PATH = '/_demo/settings.json';

/**
 * @param {() => object} settings  the current settings (asked on each request)
 * @returns {{ handler: (req, res) => void, listeningOn: (url: string) => void }}
 */
export function demoSettingsRoute(settings) {
  let hosts = new Set();
  return {
    /** The server's own URL, once it listens: requests must name it as their Host. */
    listeningOn(url) {
      const { port } = new URL(url);
      hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    },
    handler(req, res) {
      const site = req.headers['sec-fetch-site'];
      const sameOrigin = site === undefined || site === 'same-origin' || site === 'none';
      if (req.method !== 'GET' || !hosts.has(req.headers.host ?? '') || !sameOrigin) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('only the console of this demo, on this origin, may read its settings');
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      }).end(JSON.stringify(settings()));
    },
  };
}
