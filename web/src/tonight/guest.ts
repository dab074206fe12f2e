/**
 * A Tonight guest's session: the access token `joinEveningAsGuest` gave, for that one evening, kept in
 * localStorage under the evening's id until the evening ends (a guest has no refresh token; the token
 * ends with the evening). The app's own session (api/session.ts) is untouched: a signed-in person who is
 * also someone's guest stays both.
 */
import { createClient, type GraphQLClient } from '../api/client';
import type { Session, TokenStore } from '../api/tokens';

export interface GuestSession {
  eveningId: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  userId: string;
  name: string;
  /** Films the guest rated on joining (the quick start). */
  rated: number;
}

const PREFIX = 'movierec.guest.';

function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

export function loadGuest(eveningId: string, now: number = Date.now()): GuestSession | null {
  const raw = storage()?.getItem(PREFIX + eveningId);
  if (!raw) return null;
  try {
    const g = JSON.parse(raw) as GuestSession;
    if (g.eveningId !== eveningId || typeof g.accessToken !== 'string') return null;
    if (Date.parse(g.accessTokenExpiresAt) <= now) {
      forgetGuest(eveningId);
      return null;
    }
    return { ...g, rated: Number(g.rated) || 0 };
  } catch {
    return null;
  }
}

export function saveGuest(g: GuestSession): void {
  storage()?.setItem(PREFIX + g.eveningId, JSON.stringify(g));
}

export function forgetGuest(eveningId: string): void {
  storage()?.removeItem(PREFIX + eveningId);
}

/** A store over the guest's session, in the shape the GraphQL client takes (no refresh token). */
function guestStore(eveningId: string): TokenStore {
  return {
    get(): Session | null {
      const g = loadGuest(eveningId);
      return g
        ? { accessToken: g.accessToken, refreshToken: '', accessTokenExpiresAt: g.accessTokenExpiresAt, userId: g.userId, username: g.name }
        : null;
    },
    set() {},
    clear: () => forgetGuest(eveningId),
    subscribe: () => () => {},
  };
}

const clients = new Map<string, GraphQLClient>();

/** The GraphQL client acting as the guest of `eveningId`. */
export function guestClient(eveningId: string): GraphQLClient {
  let c = clients.get(eveningId);
  if (!c) {
    // The margin is 0: the token cannot be renewed, so it is used to its last second.
    c = createClient({ store: guestStore(eveningId), expiryMarginMs: 0 });
    clients.set(eveningId, c);
  }
  return c;
}
