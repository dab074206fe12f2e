/**
 * Client idempotency keys for mutations that create something (addComment, createInvite).
 *
 * One key per thing the person means to create: a retry of the same thing (the answer was lost, the
 * person pressed again after an error) sends the same key, so the server answers what the first call
 * stored instead of creating it twice. Something new (other text, a success before it) gets a new key:
 * the server refuses a key reused for a different request.
 */

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The key for a request: the same while the request is the same and has not succeeded. */
export class RetryKey<T> {
  private pending: { request: string; key: string } | null = null;

  /** The key to send with `request` (a new one unless it repeats the last unfinished request). */
  for(request: T): string {
    const text = JSON.stringify(request);
    if (this.pending?.request !== text) this.pending = { request: text, key: newIdempotencyKey() };
    return this.pending.key;
  }

  /** The request succeeded: the next one, even with the same content, is a new thing. */
  done(): void {
    this.pending = null;
  }
}
