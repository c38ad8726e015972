// Error bodies exactly as the spec declares them (openapi/*.json, components.schemas):
//   Error           {code, message, type, traceId}   for 400/401/403/404/409/5xx
//   ValidationError {code: 422, validation: [{field, message}]}
// Handlers return these responses ({status, body, headers}); server.mjs fills in the traceId.

const TYPE_BY_STATUS = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  423: 'LOCKED',
  425: 'TOO_EARLY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function errorTypeFor(status) {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/** An `Error` response; `traceId` is filled in by the server from the request's trace. */
export function apiError(status, message, { type = errorTypeFor(status), headers = {} } = {}) {
  return { status, body: { code: status, message, type, traceId: undefined }, headers };
}

/** A 422 `ValidationError` response; `problems` is a list of {field, message}. */
export function validationError(problems) {
  return { status: 422, body: { code: 422, validation: problems.map(({ field, message }) => ({ field, message })) } };
}

