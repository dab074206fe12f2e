/** The app's one token store and GraphQL client. */
import { createClient } from './client';
import { createLocalStorageTokenStore } from './tokens';

export const tokenStore = createLocalStorageTokenStore();

type ExpiredListener = () => void;
const expiredListeners = new Set<ExpiredListener>();
export function onSessionExpired(listener: ExpiredListener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export const api = createClient({
  store: tokenStore,
  onSessionExpired: () => expiredListeners.forEach((l) => l()),
});

/** The app session's access token, renewed first when it is about to expire (a WebSocket's
 * connection_init carries it: tonight/live.ts); null when signed out or it cannot be renewed. */
export async function freshAccessToken(marginMs = 30_000): Promise<string | null> {
  const s = tokenStore.get();
  if (!s) return null;
  if (Date.parse(s.accessTokenExpiresAt) - marginMs > Date.now()) return s.accessToken;
  return (await api.refresh(s))?.accessToken ?? null;
}
