/** API errors and what to tell the user about them, in plain words. */

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'GRAPHQL_PARSE_FAILED'
  | 'NETWORK'
  | 'UNKNOWN';

const KNOWN = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

export function toErrorCode(code: unknown): ErrorCode {
  return typeof code === 'string' && KNOWN.has(code) ? (code as ErrorCode) : 'UNKNOWN';
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  /** The operation that failed (e.g. "Login"), when known. */
  readonly operation: string | undefined;
  constructor(code: ErrorCode, message: string, operation?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.operation = operation;
  }
}

/** Operations whose UNAUTHENTICATED error is about the credentials typed in, not a lost session. */
const CREDENTIAL_OPERATIONS = new Set(['Login', 'Register', 'RefreshToken']);

/**
 * The gateway's messages for these codes are written for people ("That username is taken.",
 * "This invite code is not valid, already used or expired."); they are shown when they read like a
 * sentence. Others (internal, unavailable, validation) get fixed wording.
 */
function readsLikeASentence(message: string): boolean {
  return /^[A-Z]/.test(message) && /[.!?)]$/.test(message.trim()) && message.length <= 300;
}

const PLAIN: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'You need to be logged in for that. Log in and try again.',
  FORBIDDEN: "You're not allowed to do that.",
  BAD_USER_INPUT: "That wasn't accepted. Check what you entered and try again.",
  NOT_FOUND: "We couldn't find that. It may have been removed.",
  RATE_LIMITED: 'Too many tries in a row. Wait a moment, then try again.',
  UNAVAILABLE: 'Part of movierec is not responding right now. Try again in a moment.',
  INTERNAL: 'Something went wrong on our side. Try again; if it keeps happening, let us know.',
  GRAPHQL_VALIDATION_FAILED: 'This page is out of date with the server. Reload the page and try again.',
  GRAPHQL_PARSE_FAILED: 'This page is out of date with the server. Reload the page and try again.',
  NETWORK: "Can't reach movierec. Check your connection and try again.",
  UNKNOWN: 'Something unexpected went wrong. Try again.',
};

/**
 * For an operation whose gateway message for `code` is written for people but worded as a clause
 * ("all axis weights are zero: give at least one axis ... a weight above zero"): the same error with
 * the message as a sentence, so `describeError` shows it. Any other error is returned as it is.
 */
export function asSentence(error: unknown, code: ErrorCode): unknown {
  if (!(error instanceof ApiError) || error.code !== code || readsLikeASentence(error.message)) return error;
  const text = error.message.trim();
  if (!text) return error;
  const sentence = `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}${/[.!?)]$/.test(text) ? '' : '.'}`;
  return new ApiError(error.code, sentence, error.operation);
}

const SHOW_SERVER_MESSAGE = new Set<ErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED']);

/** One sentence (or two) for a person, from any error. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const useServer =
      readsLikeASentence(error.message) &&
      (SHOW_SERVER_MESSAGE.has(error.code) ||
        (error.code === 'UNAUTHENTICATED' && error.operation !== undefined && CREDENTIAL_OPERATIONS.has(error.operation)));
    return useServer ? error.message : PLAIN[error.code];
  }
  if (error instanceof TypeError) return PLAIN.NETWORK; // fetch's failure
  return PLAIN.UNKNOWN;
}

/** Whether the request never reached movierec (no network, or fetch itself failed). */
export function isNetworkError(error: unknown): boolean {
  return (error instanceof ApiError && error.code === 'NETWORK') || error instanceof TypeError;
}
