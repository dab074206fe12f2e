import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { ApiError } from './api/errors';
import { tokenStore } from './api/session';
import { AuthProvider } from './auth/AuthProvider';
import { ToastProvider } from './components/Toasts';
import { restoreCache, startPersisting } from './lib/persist';
import { prefetchHome } from './lib/prefetch';
import { createRouter } from './router';
import './styles/app.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      gcTime: 30 * 60_000,
      refetchOnWindowFocus: false,
      retry: (count, error) =>
        count < 2 && error instanceof ApiError && (error.code === 'NETWORK' || error.code === 'UNAVAILABLE'),
    },
  },
});

// A returning user: paint from the saved cache and start the first requests before React renders.
const session = tokenStore.get();
if (session) {
  restoreCache(queryClient, session.userId);
  if (location.pathname === '/') prefetchHome(queryClient);
}
startPersisting(queryClient, () => tokenStore.get()?.userId ?? null);

const router = createRouter();
const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
