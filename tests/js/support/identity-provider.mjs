// A sign-in provider on loopback for the relay's tests: keys generated here with WebCrypto, an
// OpenID Connect discovery document, a JWKS, Cloudflare Access's certs path, and tokens signed
// with those keys (or with keys it does not publish). Keys can be rotated while it runs.
import { createServer } from 'node:http';

const encoder = new TextEncoder();
const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** A signing key: `{ kid, alg, privateKey, publicJwk }`. */
export async function createSigningKey(kid, alg = 'RS256') {
  const params = alg === 'ES256'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: `SHA-${alg.slice(2)}` };
  const pair = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
  const publicJwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid, alg, use: 'sig' };
  delete publicJwk.key_ops;
  delete publicJwk.ext;
  return { kid, alg, privateKey: pair.privateKey, publicJwk };
}

/** A compact JWS of `claims` signed by `key` (header kid = key.kid unless `kid` overrides it). */
export async function signToken(key, claims, { kid = key.kid } = {}) {
  const header = { alg: key.alg, typ: 'JWT', ...(kid === null ? {} : { kid }) };
  const input = `${base64url(encoder.encode(JSON.stringify(header)))}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
  const algorithm = key.alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const signature = await crypto.subtle.sign(algorithm, key.privateKey, encoder.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Serves `/.well-known/openid-configuration`, `/jwks` and `/cdn-cgi/access/certs` for `keys`
 * (`setKeys` replaces them: a rotation). `requests` counts the key-set fetches.
 */
export async function startIdentityProvider(keys) {
  let published = keys;
  const requests = { discovery: 0, keys: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://provider');
    if (url.pathname === '/.well-known/openid-configuration') {
      requests.discovery += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: provider.url, jwks_uri: `${provider.url}/jwks`, id_token_signing_alg_values_supported: ['RS256', 'ES256'] }));
    } else if (url.pathname === '/jwks' || url.pathname === '/cdn-cgi/access/certs') {
      requests.keys += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const provider = {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    setKeys(next) {
      published = next;
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
  return provider;
}
