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
