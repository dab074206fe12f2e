import { describe, expect, it, vi } from 'vitest';
import { MeDocument, LoginDocument } from './operations';
import { createClient } from './client';
import { ApiError } from './errors';
import { createMemoryTokenStore, type Session } from './tokens';

const FUTURE = '2999-01-01T00:00:00Z';
const session = (n: number, expiresAt = FUTURE): Session => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessTokenExpiresAt: expiresAt,
  userId: '7',
  username: 'ana',
});

const ME = { me: { id: '7', username: 'ana', partners: [], state: { ratings: [], favoriteIds: [], watchlistIds: [], watchlist: [], watchedIds: [], dismissedIds: [] } } };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
const unauthenticated = () => json({ data: { me: null }, errors: [{ message: 'Token expired.', extensions: { code: 'UNAUTHENTICATED' } }] });
const refreshed = (n: number) =>
  json({ data: { refreshToken: { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, accessTokenExpiresAt: FUTURE, user: { id: '7', username: 'ana' } } } });

interface Call {
  auth: string | null;
  body: { query: string; variables: Record<string, unknown> };
}
function recorder(responses: (() => Response)[]) {
  const calls: Call[] = [];
  const fetchFn = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string>;
    calls.push({ auth: headers.authorization ?? null, body: JSON.parse(String(init?.body)) as Call['body'] });
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  });
  return { calls, fetchFn: fetchFn as unknown as typeof fetch };
}

describe('GraphQL client', () => {
  it('sends the access token and returns data', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([() => json({ data: ME })]);
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).resolves.toEqual(ME);
    expect(calls[0]?.auth).toBe('Bearer access-1');
    expect(calls[0]?.body.query).toContain('query Me');
  });

  it('refreshes on UNAUTHENTICATED and retries once with the new token', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([unauthenticated, () => refreshed(2), () => json({ data: ME })]);
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).resolves.toEqual(ME);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer access-1', null, 'Bearer access-2']);
    expect(calls[1]?.body.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(store.get()?.refreshToken).toBe('refresh-2');
  });

  it('retries only once: a second UNAUTHENTICATED is an error', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([unauthenticated, () => refreshed(2), unauthenticated]);
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(calls).toHaveLength(3);
  });

  it('shares one refresh between concurrent requests (refresh tokens are single-use)', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([unauthenticated, unauthenticated, () => refreshed(2), () => json({ data: ME }), () => json({ data: ME })]);
    const client = createClient({ store, fetch: fetchFn });
    await Promise.all([client.request(MeDocument, {}), client.request(MeDocument, {})]);
    const refreshes = calls.filter((c) => c.body.query.includes('refreshToken('));
    expect(refreshes).toHaveLength(1);
    expect(calls.slice(-2).map((c) => c.auth)).toEqual(['Bearer access-2', 'Bearer access-2']);
  });

  it('renews an access token that expired by the clock before sending', async () => {
    const store = createMemoryTokenStore(session(1, '2020-01-01T00:00:00Z'));
    const { calls, fetchFn } = recorder([() => refreshed(2), () => json({ data: ME })]);
    const client = createClient({ store, fetch: fetchFn });
    await client.request(MeDocument, {});
    expect(calls.map((c) => c.auth)).toEqual([null, 'Bearer access-2']);
  });

  it('ends the session when the refresh token is refused', async () => {
    const store = createMemoryTokenStore(session(1));
    const onSessionExpired = vi.fn();
    const { fetchFn } = recorder([
      unauthenticated,
      () => json({ data: null, errors: [{ message: 'This refresh token was already used; the session is revoked. Log in again.', extensions: { code: 'UNAUTHENTICATED' } }] }),
    ]);
    const client = createClient({ store, fetch: fetchFn, onSessionExpired });
    await expect(client.request(MeDocument, {})).rejects.toBeInstanceOf(ApiError);
    expect(store.get()).toBeNull();
    expect(onSessionExpired).toHaveBeenCalledOnce();
  });

  it('keeps the session when the refresh fails because the gateway is down', async () => {
    const store = createMemoryTokenStore(session(1));
    const { fetchFn } = recorder([unauthenticated, () => json({ errors: [{ message: 'x', extensions: { code: 'UNAVAILABLE' } }] })]);
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(store.get()?.refreshToken).toBe('refresh-1');
  });

  it('uses a token another tab already renewed instead of refreshing again', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([
      () => {
        store.set(session(5)); // the other tab rotated the tokens meanwhile
        return unauthenticated();
      },
      () => json({ data: ME }),
    ]);
    const client = createClient({ store, fetch: fetchFn });
    await client.request(MeDocument, {});
    expect(calls.map((c) => c.auth)).toEqual(['Bearer access-1', 'Bearer access-5']);
  });

  it('does not send a token or refresh for log-in (auth: false), and reports its error', async () => {
    const store = createMemoryTokenStore(session(1));
    const { calls, fetchFn } = recorder([
      () => json({ data: null, errors: [{ message: 'Wrong username or password.', extensions: { code: 'UNAUTHENTICATED' } }] }),
    ]);
    const client = createClient({ store, fetch: fetchFn });
    const err = await client.request(LoginDocument, { username: 'a', password: 'b' }, { auth: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED', operation: 'Login', message: 'Wrong username or password.' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.auth).toBeNull();
  });

  it('turns a failed fetch into a NETWORK error', async () => {
    const store = createMemoryTokenStore(null);
    const fetchFn = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('turns a non-JSON 502 into UNAVAILABLE', async () => {
    const store = createMemoryTokenStore(null);
    const fetchFn = vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 })) as unknown as typeof fetch;
    const client = createClient({ store, fetch: fetchFn });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
