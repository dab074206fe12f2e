import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearPersistedCache, restoreCache, startPersisting } from './persist';

afterEach(() => vi.useRealTimers());

describe('saved query cache', () => {
  it('saves the user state and zones, and restores them for the same user only, as stale', () => {
    vi.useFakeTimers();
    const a = new QueryClient();
    const stop = startPersisting(a, () => 'u1');
    a.setQueryData(['me'], { id: 'u1' });
    a.setQueryData(['zone', 'forYou'], [{ id: 'm1' }]);
    a.setQueryData(['movie', '1'], { id: '1' }); // not persisted
    vi.advanceTimersByTime(1100);
    stop();

    const b = new QueryClient();
    expect(restoreCache(b, 'u1')).toBe(true);
    expect(b.getQueryData(['zone', 'forYou'])).toEqual([{ id: 'm1' }]);
    expect(b.getQueryData(['movie', '1'])).toBeUndefined();
    expect(b.getQueryState(['me'])?.isInvalidated).toBe(true);

    const other = new QueryClient();
    expect(restoreCache(other, 'u2')).toBe(false);
    expect(other.getQueryData(['me'])).toBeUndefined();
    expect(localStorage.length).toBe(0); // another user's cache is dropped
  });

  it('forgets the cache on logout', () => {
    localStorage.setItem('movierec.cache.v1', JSON.stringify({ userId: 'u1', savedAt: Date.now(), state: { queries: [], mutations: [] } }));
    clearPersistedCache();
    expect(restoreCache(new QueryClient(), 'u1')).toBe(false);
  });
});
