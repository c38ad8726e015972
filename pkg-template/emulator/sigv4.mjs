// AWS Signature Version 4 for the S3 check's GET requests, with node:crypto only.
// Reference: AWS "Signing AWS API requests" (SigV4) — canonical request, string to sign,
// HMAC-SHA256 key derivation AWS4<secret> → date → region → service → aws4_request.
import { createHash, createHmac } from 'node:crypto';

export const EMPTY_PAYLOAD_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * Returns the headers to send: the given ones plus x-amz-date, x-amz-content-sha256 and
 * authorization. Every given header (and host) is signed. `path` must already be URI-encoded
 * exactly as it will be sent (see encodeS3Path).
 */
export function signV4({ method, host, path, query = '', headers = {}, region, service = 's3', accessKeyId, secretAccessKey, date = new Date(), payloadHash = EMPTY_PAYLOAD_SHA256 }) {
  const amzDate = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const toSign = { ...lowerCaseKeys(headers), host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  const names = Object.keys(toSign).sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(toSign[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [method, path, canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [day, region, service, 'aws4_request'].reduce((key, part) => hmac(key, part), `AWS4${secretAccessKey}`);
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  const { host: _host, ...sendHeaders } = toSign;
  return {
    ...sendHeaders,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Path-style object path `/<bucket>/<key>` with each segment URI-encoded the S3 way. */
export function encodeS3Path(bucket, key) {
  return `/${encodeSegment(bucket)}/${key.split('/').map(encodeSegment).join('/')}`;
}

/** RFC 3986 encoding of everything but unreserved characters (SigV4 "UriEncode"). */
function encodeSegment(segment) {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query) {
  const params = [...new URLSearchParams(query)].map(([k, v]) => [encodeSegment(k), encodeSegment(v)]);
  params.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function hmac(key, data) {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}
