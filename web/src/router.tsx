import { createBrowserRouter, type RouteObject } from 'react-router';
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

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    HydrateFallback: Pending,
    children: [
      { path: '/login', lazy: lazy('auth', 'LoginPage') },
      { path: '/register', lazy: lazy('auth', 'RegisterPage') },
      {
        element: <RequireAuth />,
        children: [
          { path: '/', lazy: lazy('home') },
          { path: '/start', lazy: lazy('onboarding') },
          { path: '/film/:id', lazy: lazy('film') },
          { path: '/search', lazy: lazy('search') },
          { path: '/vibe', lazy: lazy('vibe') },
          { path: '/together', lazy: lazy('together') },
          { path: '/watchlist', lazy: lazy('lists', 'WatchlistPage') },
          { path: '/favourites', lazy: lazy('lists', 'FavouritesPage') },
        ],
      },
      { path: '*', lazy: lazy('notFound') },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
