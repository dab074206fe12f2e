import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { sessionFromPayload } from '../api/client';
import { LoginDocument, LogoutDocument, RegisterDocument } from '../api/operations';
import { meQuery } from '../api/queries';
import { api, onSessionExpired, tokenStore } from '../api/session';
import type { Session } from '../api/tokens';
import { clearPersistedCache } from '../lib/persist';
import { prefetchHome } from '../lib/prefetch';

interface AuthApi {
  session: Session | null;
  /** `session !== null`: signed out, pages are read-only and actions become "Sign in to …" links. */
  signedIn: boolean;
  /** Set when the session ended by itself (refresh refused): the login page says so. */
  expiredNotice: boolean;
  login(username: string, password: string): Promise<void>;
  register(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Drop this device's session and cache without telling the server (it already ended them: a deleted
   * account), and send the page at `from` to `to` instead of the log-in page (RequireAuth). */
  endSession(from: string, to: string): void;
  /** Set by endSession: where RequireAuth sends the page it was on. */
  leaving: { from: string; to: string } | null;
}

const AuthContext = createContext<AuthApi | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [session, setSession] = useState<Session | null>(() => tokenStore.get());
  const [expiredNotice, setExpiredNotice] = useState(false);
  const [leaving, setLeaving] = useState<{ from: string; to: string } | null>(null);

  // Another tab logged out or in as someone else: this tab's cached answers (and the warm cache it
  // would save) belong to the previous user, so they go before the new session is used.
  const userIdRef = useRef(session?.userId ?? null);
  useEffect(
    () =>
      tokenStore.subscribe((next) => {
        const nextId = next?.userId ?? null;
        if (nextId !== userIdRef.current) {
          qc.clear();
          clearPersistedCache();
        }
        userIdRef.current = nextId;
        setSession(next);
      }),
    [qc],
  );
  useEffect(
    () =>
      onSessionExpired(() => {
        setExpiredNotice(true);
        qc.clear();
        clearPersistedCache();
      }),
    [qc],
  );

  const start = useCallback(
    (next: Session) => {
      tokenStore.set(next); // a different user: the subscription above drops the previous user's cache first
      setExpiredNotice(false);
      setLeaving(null);
      prefetchHome(qc);
    },
    [qc],
  );

  const login = useCallback(
    async (username: string, password: string) => {
      const data = await api.request(LoginDocument, { username, password }, { auth: false });
      start(sessionFromPayload(data.login));
    },
    [start],
  );

  const register = useCallback(
    async (username: string, password: string) => {
      const data = await api.request(RegisterDocument, { username, password }, { auth: false });
      start(sessionFromPayload(data.register));
    },
    [start],
  );

  const logout = useCallback(async () => {
    const current = tokenStore.get();
    tokenStore.clear();
    qc.clear();
    clearPersistedCache();
    if (current) await api.request(LogoutDocument, { refreshToken: current.refreshToken }, { auth: false });
  }, [qc]);

  // Both updates in one render: RequireAuth never sees the page signed out without knowing where it goes.
  const endSession = useCallback((from: string, to: string) => {
    setLeaving({ from, to });
    tokenStore.clear(); // another user (none): the subscription above drops the cache and the saved copy
  }, []);

  const value = useMemo<AuthApi>(
    () => ({ session, signedIn: session !== null, expiredNotice, login, register, logout, endSession, leaving }),
    [session, expiredNotice, login, register, logout, endSession, leaving],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user's state (one `me` query for the whole UI). */
export function useMe() {
  const { session } = useAuth();
  return useQuery({ ...meQuery(), enabled: session !== null });
}
