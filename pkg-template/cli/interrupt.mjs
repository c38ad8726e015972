// Ctrl-C while talking to the API: the first SIGINT aborts the operation's signal so the command can
// stop cleanly and say what keeps running server-side; a second one exits at once.
import { EXIT } from './exit-codes.mjs';

export function interruptOnSigint({ exit = (code) => process.exit(code) } = {}) {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) exit(EXIT.ABORTED);
    else controller.abort();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    dispose: () => process.off('SIGINT', handler),
  };
}
