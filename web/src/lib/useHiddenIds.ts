import { useEffect, useMemo, useState } from 'react';
import { useMe } from '../auth/AuthProvider';

/** How long a film just marked "Seen it" stays in a zone, saying "Seen", before it leaves. */
export const SEEN_LEAVE_MS = 2_500;

/**
 * The films a recommendation zone leaves out on the client while its answer is older than the user's
 * latest actions (the API leaves them out of fresh answers): dismissed ones at once (Undo brings them back),
 * seen ones after SEEN_LEAVE_MS, so the card can first say "Seen". Films already seen on mount leave at once.
 */
export function useHiddenIds(): Set<string> {
  const me = useMe();
  const dismissedIds = me.data?.state.dismissedIds;
  const watchedIds = me.data?.state.watchedIds;
  const watchedKey = (watchedIds ?? []).join(',');
  const [settled, setSettled] = useState(watchedKey);
  // the state arriving (after mount, or another user's) is not a fresh "Seen it": take it at once
  const loadedFor = me.data?.id ?? null;
  const [seenFor, setSeenFor] = useState(loadedFor);
  if (seenFor !== loadedFor) {
    setSeenFor(loadedFor);
    setSettled(watchedKey);
  }
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(watchedKey), SEEN_LEAVE_MS);
    return () => window.clearTimeout(t);
  }, [watchedKey]);
  return useMemo(() => {
    const hidden = new Set(dismissedIds ?? []);
    if (settled) for (const id of settled.split(',')) hidden.add(id);
    return hidden;
  }, [dismissedIds, settled]);
}
