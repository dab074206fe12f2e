import { describe, expect, it } from 'vitest';
import { RetryKey, newIdempotencyKey } from './idempotency';

describe('idempotency keys', () => {
  it('are new each time and fit the server rule (8-64 of A-Za-z0-9_-)', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('repeat for a retry of the same request and change for another or after success', () => {
    const keys = new RetryKey<{ movieId: string; body: string }>();
    const first = keys.for({ movieId: '603', body: 'Red pill' });
    expect(keys.for({ movieId: '603', body: 'Red pill' })).toBe(first); // a retry after an error
    const other = keys.for({ movieId: '603', body: 'Blue pill' });
    expect(other).not.toBe(first); // edited before resending: a different comment
    keys.done();
    expect(keys.for({ movieId: '603', body: 'Blue pill' })).not.toBe(other); // posted again on purpose
  });
});
