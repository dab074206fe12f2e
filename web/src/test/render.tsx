import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { SESSION_KEY, type Session } from '../api/tokens';
import { AuthProvider } from '../auth/AuthProvider';
import { ToastProvider } from '../components/Toasts';

export const TEST_SESSION: Session = {
  accessToken: 'access',
  refreshToken: 'refresh',
  accessTokenExpiresAt: '2999-01-01T00:00:00Z',
  userId: '7',
  username: 'ana',
};

export function renderApp(
  ui: ReactElement,
  { client, session = TEST_SESSION, url }: { client?: QueryClient; session?: Session | null; url?: string } = {},
) {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  const qc = client ?? new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const result = render(
    <QueryClientProvider client={qc}>
      <ToastProvider>
        <AuthProvider>
          <MemoryRouter {...(url ? { initialEntries: [url] } : {})}>{ui}</MemoryRouter>
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { ...result, qc };
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
