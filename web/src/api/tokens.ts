/**
 * The session (access + refresh token) in localStorage, so it survives a reload and is shared by
 * tabs. Trade-off: any script running on the page can read localStorage, so an XSS bug would leak
 * the refresh token (an httpOnly cookie would not). We accept it because the app renders no HTML
 * from the API (React escapes every string), loads no third-party scripts, and the gateway's
 * refresh tokens rotate on every use with reuse detection (a stolen, used token revokes the session).
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** ISO date-time. */
  accessTokenExpiresAt: string;
  userId: string;
  username: string;
}

export interface TokenStore {
  get(): Session | null;
  set(session: Session): void;
  clear(): void;
  /** Called on every change, in this tab or (through the storage event) another. */
  subscribe(listener: (session: Session | null) => void): () => void;
}

export const SESSION_KEY = 'movierec.session';

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.accessTokenExpiresAt === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.username === 'string'
  );
}

export function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isSession(value) ? value : null;
  } catch {
    return null;
  }
}

export function createLocalStorageTokenStore(storage: Storage = window.localStorage, key = SESSION_KEY): TokenStore {
  const listeners = new Set<(s: Session | null) => void>();
  const emit = (s: Session | null) => listeners.forEach((l) => l(s));
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key === key || e.key === null) emit(parseSession(storage.getItem(key)));
    });
  }
  return {
    get: () => parseSession(storage.getItem(key)),
    set(session) {
      storage.setItem(key, JSON.stringify(session));
      emit(session);
    },
    clear() {
      storage.removeItem(key);
      emit(null);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** In-memory store (tests). */
export function createMemoryTokenStore(initial: Session | null = null): TokenStore {
  let current = initial;
  const listeners = new Set<(s: Session | null) => void>();
  return {
    get: () => current,
    set(session) {
      current = session;
      listeners.forEach((l) => l(session));
    },
    clear() {
      current = null;
      listeners.forEach((l) => l(null));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
