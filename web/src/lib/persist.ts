/**
 * Keeps the signed-in user's state and zone answers in localStorage between visits, so a second
 * load paints the rows at once from cache while fresh answers are fetched (stale-while-revalidate).
 */
import { dehydrate, hydrate, type QueryClient } from '@tanstack/react-query';

const KEY = 'movierec.cache.v1';
const MAX_AGE_MS = 24 * 3600_000;
const MAX_BYTES = 1_500_000;
const PERSISTED = new Set(['me', 'zone', 'genres', 'onboarding', 'gemCeilingScale']);

interface Saved {
  userId: string;
  savedAt: number;
  state: unknown;
}

export function restoreCache(qc: QueryClient, userId: string, storage: Storage = localStorage): boolean {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return false;
    const saved = JSON.parse(raw) as Saved;
    if (saved.userId !== userId || Date.now() - saved.savedAt > MAX_AGE_MS) {
      storage.removeItem(KEY);
      return false;
    }
    hydrate(qc, saved.state as Parameters<typeof hydrate>[1]);
    // Shown at once, but every restored answer is revalidated by the first component that uses it.
    void qc.invalidateQueries({ refetchType: 'none' });
    return true;
  } catch {
    storage.removeItem(KEY);
    return false;
  }
}

export function startPersisting(qc: QueryClient, getUserId: () => string | null, storage: Storage = localStorage): () => void {
  let timer: number | undefined;
  const save = () => {
    timer = undefined;
    const userId = getUserId();
    if (!userId) return;
    const state = dehydrate(qc, {
      shouldDehydrateQuery: (q) => q.state.status === 'success' && PERSISTED.has(String(q.queryKey[0])),
    });
    const raw = JSON.stringify({ userId, savedAt: Date.now(), state } satisfies Saved);
    if (raw.length > MAX_BYTES) return;
    try {
      storage.setItem(KEY, raw);
    } catch {
      // Storage full or disabled: the app works without the warm cache.
    }
  };
  const unsubscribe = qc.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && timer === undefined) timer = window.setTimeout(save, 1000);
  });
  const flush = () => {
    if (timer !== undefined) {
      window.clearTimeout(timer);
      save();
    }
  };
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', flush);
    window.clearTimeout(timer);
  };
}

export function clearPersistedCache(storage: Storage = localStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // ignore: nothing to clear
  }
}
