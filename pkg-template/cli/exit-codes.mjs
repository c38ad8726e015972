// The CLI's exit codes (README, "Command line"): scripts branch on these, so they never change meaning.
export const EXIT = Object.freeze({
  OK: 0,
  /** The restore ended FAILED, or did not end within --max-wait (TIMEOUT). */
  RESTORE_FAILED: 1,
  /** Bad flags or invalid input: nothing was sent. */
  USAGE: 2,
  /** No credentials, or the token / key was refused (401/403, token endpoint). */
  AUTH: 3,
  /** Any other API or network failure. */
  API: 4,
  /** The preflight (--preflight, --discover) or the upload's header check found errors, or --discover
   * no backup set: nothing was triggered or uploaded. */
  PREFLIGHT: 5,
  /** Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  ABORTED: 130,
});

/** Raised for problems with the command line itself; the message is shown with the command's usage. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Raised when no credentials are found or a credential file is unreadable. */
export class CredentialsError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** The exit code for anything a command throws. */
export function exitCodeFor(error) {
  switch (error?.name) {
    case 'AbortError':
      return EXIT.ABORTED;
    case 'UsageError':
    case 'ValidationError':
      return EXIT.USAGE;
    case 'CredentialsError':
    case 'AuthError':
      return EXIT.AUTH;
    case 'PreflightError':
      return EXIT.PREFLIGHT;
    default:
      return EXIT.API;
  }
}
