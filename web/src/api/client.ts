/**
 * The GraphQL client: POST /graphql with the typed documents of src/gql, the access token attached.
 *
 * Sessions: an access token lives 15 minutes. A request whose token has expired (by the clock, or
 * because the gateway answers UNAUTHENTICATED) renews it once with the refresh token and is retried
 * once. Renewals are single-flight in a tab and serialised across tabs (Web Locks), because refresh
 * tokens are single-use: a second use of the same one revokes the session.
 */
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, toErrorCode } from './errors';
import type { Session, TokenStore } from './tokens';

interface GraphQLErrorShape {
  message?: string;
  extensions?: { code?: unknown };
}
interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

interface AuthPayloadShape {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  user: { id: string; username: string };
}

export function sessionFromPayload(p: AuthPayloadShape): Session {
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    accessTokenExpiresAt: p.accessTokenExpiresAt,
    userId: p.user.id,
    username: p.user.username,
  };
}

const REFRESH_QUERY = `mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { accessToken refreshToken accessTokenExpiresAt user { id username } }
}`;

export interface ClientOptions {
  store: TokenStore;
  endpoint?: string;
  fetch?: typeof fetch;
  /** Called when the session cannot be renewed (the user must log in again). */
  onSessionExpired?: () => void;
  now?: () => number;
  /** Renew this long before the expiry time (clock skew, request time). */
  expiryMarginMs?: number;
}

export interface RequestOptions {
  /** Send the access token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface GraphQLClient {
  request<R, V>(doc: TypedDocumentString<R, V>, variables: V, options?: RequestOptions): Promise<R>;
  /** Renew the session now (single-flight); null when it cannot be renewed. */
  refresh(stale: Session): Promise<Session | null>;
}

function operationName(query: string): string | undefined {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1];
}

export function createClient(options: ClientOptions): GraphQLClient {
  const { store, endpoint = '/graphql', onSessionExpired, expiryMarginMs = 30_000 } = options;
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = options.now ?? Date.now;
  let inflight: Promise<Session | null> | null = null;

  async function post<T>(
    query: string,
    variables: unknown,
    token: string | undefined,
    signal?: AbortSignal,
  ): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchFn(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError('NETWORK', 'network error', operationName(query));
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      const code = response.status === 429 ? 'RATE_LIMITED' : response.status >= 500 ? 'UNAVAILABLE' : 'UNKNOWN';
      throw new ApiError(code, `HTTP ${response.status}`, operationName(query));
    }
    if (!response.ok && !body.errors?.length) {
      throw new ApiError(response.status >= 500 ? 'UNAVAILABLE' : 'UNKNOWN', `HTTP ${response.status}`, operationName(query));
    }
    return body;
  }

  function firstError(res: GraphQLResponse<unknown>, query: string): ApiError | null {
    const e = res.errors?.[0];
    if (!e) return null;
    return new ApiError(toErrorCode(e.extensions?.code), e.message ?? 'error', operationName(query));
  }

  function isUnauthenticated(res: GraphQLResponse<unknown>): boolean {
    return (res.errors ?? []).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  }

  async function doRefresh(stale: Session): Promise<Session | null> {
    const current = store.get();
    if (!current) return null;
    // Another tab (or an earlier call) renewed it already: use that one, never reuse a token.
    if (current.refreshToken !== stale.refreshToken) return current;
    const res = await post<{ refreshToken: AuthPayloadShape }>(REFRESH_QUERY, { refreshToken: current.refreshToken }, undefined);
    const err = firstError(res, REFRESH_QUERY);
    if (err || !res.data) {
      if (!err || err.code === 'UNAUTHENTICATED' || err.code === 'BAD_USER_INPUT') {
        store.clear();
        onSessionExpired?.();
        return null;
      }
      throw err; // the gateway is down or slow: keep the session, the caller shows the error
    }
    const next = sessionFromPayload(res.data.refreshToken);
    store.set(next);
    return next;
  }

  function refresh(stale: Session): Promise<Session | null> {
    if (!inflight) {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const run = () => doRefresh(stale);
      inflight = (locks ? locks.request('movierec-refresh', run) : run()).finally(() => {
        inflight = null;
      });
    }
    return inflight;
  }

  function expired(s: Session): boolean {
    const at = Date.parse(s.accessTokenExpiresAt);
    return Number.isFinite(at) && at - expiryMarginMs <= now();
  }

  async function request<R, V>(doc: TypedDocumentString<R, V>, variables: V, opts: RequestOptions = {}): Promise<R> {
    const query = doc.toString();
    const useAuth = opts.auth ?? true;
    let session = useAuth ? store.get() : null;
    if (session && expired(session)) session = await refresh(session);
    let res = await post<R>(query, variables ?? {}, session?.accessToken, opts.signal);
    if (session && isUnauthenticated(res)) {
      const renewed = await refresh(session);
      if (renewed) res = await post<R>(query, variables ?? {}, renewed.accessToken, opts.signal);
    }
    const err = firstError(res, query);
    if (err) throw err;
    if (res.data == null) throw new ApiError('UNKNOWN', 'empty response', operationName(query));
    return res.data;
  }

  return { request, refresh };
}
