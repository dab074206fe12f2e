/** Route modules, loaded on demand (each its own chunk) and prefetched on intent. */
export const routeModules = {
  home: () => import('./Home'),
  landing: () => import('./Landing'),
  film: () => import('./Film'),
  person: () => import('./Person'),
  search: () => import('./Search'),
  vibe: () => import('./Vibe'),
  together: () => import('./Together'),
  tonight: () => import('./Tonight'),
  evening: () => import('./Evening'),
  join: () => import('./Join'),
  lists: () => import('./Lists'),
  import: () => import('./Import'),
  onboarding: () => import('./Onboarding'),
  account: () => import('./Account'),
  auth: () => import('./Auth'),
  notFound: () => import('./NotFound'),
};
export type RouteName = keyof typeof routeModules;
