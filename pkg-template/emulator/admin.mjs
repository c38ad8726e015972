// Admin and introspection endpoints under /_emulator/ (no auth, never recorded, never faulted):
//   GET    /_emulator/health              liveness
//   GET    /_emulator/state               the world, settled at the clock's now
//   GET    /_emulator/requests            recorded requests, secrets masked (?operation=&method=)
//   DELETE /_emulator/requests            forget recorded requests
//   POST   /_emulator/reset               back to the initial scenario; clears faults, requests, issued tokens
//   POST   /_emulator/scenario            load a scenario (body: scenario JSON)
//   GET    /_emulator/faults              list faults
//   POST   /_emulator/faults              add a fault spec or an array of them (faults.mjs)
//   DELETE /_emulator/faults[/{id}]       remove all faults / one fault
//   POST   /_emulator/clock               {advanceMs} — only with the manual clock
//   POST   /_emulator/service-accounts    {email?} → a new service-account key JSON (registered)
//   POST   /_emulator/service-account-keys {kid, publicKey, iss, sub} → trust a public key made elsewhere
//   POST   /_emulator/tokens              {lifetimeSeconds?} → a new access token
import { apiError } from './errors.mjs';
import { FaultSpecError } from './faults.mjs';
import { ScenarioError } from './scenario.mjs';

export const ADMIN_PREFIX = '/_emulator/';

export async function handleAdminRequest({ method, pathname, query, rawBody }, core) {
  const route = `${method} ${pathname.slice(ADMIN_PREFIX.length - 1)}`;
  const body = () => parseAdminBody(rawBody);
  switch (route) {
    case 'GET /health':
      return json(200, { status: 'ok', url: core.url(), now: new Date(core.clock.now()).toISOString(), manualClock: core.clock.isManual });
    case 'GET /state':
      await core.state.settle();
      return json(200, core.state.snapshot());
    case 'GET /requests':
      return json(200, { requests: core.recorder.list({ operation: query.get('operation'), method: query.get('method') }) });
    case 'DELETE /requests':
      core.recorder.clear();
      return noContent();
    case 'POST /reset':
      core.reset();
      return noContent();
    case 'POST /scenario':
      return guarded(() => {
        core.loadScenario(body());
        return noContent();
      });
    case 'GET /faults':
      return json(200, { faults: core.faults.list() });
    case 'POST /faults':
      return guarded(() => json(201, { faults: core.faults.add(body()) }));
    case 'DELETE /faults':
      core.faults.clear();
      return noContent();
    case 'POST /clock':
      return guarded(() => {
        if (!core.clock.isManual) return apiError(409, 'the clock is not manual: start the emulator with manualClock: true');
        const { advanceMs } = body();
        if (!Number.isFinite(advanceMs) || advanceMs < 0) return apiError(400, 'advanceMs must be a number >= 0');
        const nowMs = core.clock.advance(advanceMs);
        return json(200, { now: new Date(nowMs).toISOString(), nowMs });
      });
    case 'POST /service-accounts':
      return guarded(() => json(201, core.addServiceAccount(rawBody.trim() ? body() : {})));
    case 'POST /service-account-keys':
      // Trust a key pair made elsewhere (e.g. by a test with WebCrypto): {kid, publicKey (SPKI PEM), iss, sub}.
      return guarded(() => {
        core.serviceAccounts.register(body());
        return noContent();
      });
    case 'POST /tokens':
      return guarded(() => {
        const { lifetimeSeconds } = rawBody.trim() ? body() : {};
        const { token, expiresIn } = core.tokens.issue(lifetimeSeconds === undefined ? {} : { lifetimeSeconds });
        return json(201, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' });
      });
    default: {
      const faultId = /^DELETE \/faults\/(\d+)$/.exec(route);
      if (faultId) return core.faults.remove(Number(faultId[1])) ? noContent() : apiError(404, `no fault ${faultId[1]}`);
      return apiError(404, `no admin endpoint ${route}`);
    }
  }
}

class AdminBodyError extends Error {}

function parseAdminBody(rawBody) {
  try {
    return JSON.parse(rawBody);
  } catch (error) {
    throw new AdminBodyError(`body is not valid JSON: ${error.message}`);
  }
}

function guarded(run) {
  try {
    return run();
  } catch (error) {
    if (error instanceof AdminBodyError || error instanceof ScenarioError || error instanceof FaultSpecError || error instanceof TypeError || error instanceof RangeError) {
      return apiError(400, error.message);
    }
    throw error;
  }
}

function json(status, body) {
  return { status, body };
}

function noContent() {
  return { status: 204, body: undefined };
}
