import { lazy as reactLazy, Suspense } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { RouteError } from './components/RouteError';
import { SkeletonCards } from './components/Skeleton';
import { routeModules, type RouteName } from './routes/lazy';

function lazy(name: RouteName, exportName = 'default'): RouteObject['lazy'] {
  return async () => {
    const mod = (await routeModules[name]()) as unknown as Record<string, React.ComponentType>;
    const Component = mod[exportName];
    if (!Component) throw new Error(`route ${name} has no ${exportName}`);
    return { Component };
  };
}

function Pending() {
  return (
    <div className="page">
      <SkeletonCards />
    </div>
  );
}

const HomePage = reactLazy(routeModules.home);
const LandingPage = reactLazy(routeModules.landing);

/** `/`: Home for a signed-in user, the landing page for a visitor (each its own chunk, loaded when needed). */
export function Front() {
  const { signedIn } = useAuth();
  return <Suspense fallback={<Pending />}>{signedIn ? <HomePage /> : <LandingPage />}</Suspense>;
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    HydrateFallback: Pending,
    children: [
      { path: '/login', lazy: lazy('auth', 'LoginPage') },
      { path: '/register', lazy: lazy('auth', 'RegisterPage') },
      // Open to visitors, read-only signed out (actions become "Sign in to …" links).
      { path: '/', element: <Front /> },
      { path: '/film/:id', lazy: lazy('film') },
      { path: '/person/:id', lazy: lazy('person') },
      { path: '/search', lazy: lazy('search') },
      { path: '/vibe', lazy: lazy('vibe') },
      // Tonight: a share link works for anyone; an evening's page for its members and guests (Evening.tsx).
      { path: '/join/:token', lazy: lazy('join') },
      { path: '/tonight/:id', lazy: lazy('evening') },
      // Signed out it asks to sign in (and comes back here).
      { path: '/import', lazy: lazy('import') },
      {
        element: <RequireAuth />,
        children: [
          { path: '/start', lazy: lazy('onboarding') },
          { path: '/together', lazy: lazy('together') },
          { path: '/tonight', lazy: lazy('tonight') },
          { path: '/watchlist', lazy: lazy('lists', 'WatchlistPage') },
          { path: '/favourites', lazy: lazy('lists', 'FavouritesPage') },
          { path: '/account', lazy: lazy('account') },
        ],
      },
      { path: '*', lazy: lazy('notFound') },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
