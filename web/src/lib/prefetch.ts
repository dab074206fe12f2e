import type { QueryClient } from '@tanstack/react-query';
import { forYouQuery, gemCeilingScaleQuery, hiddenGemsQuery, meQuery, movieQuery } from '../api/queries';
import { routeModules, type RouteName } from '../routes/lazy';

const loaded = new Set<RouteName>();
export function prefetchRoute(name: RouteName): void {
  if (loaded.has(name)) return;
  loaded.add(name);
  void routeModules[name]().catch(() => loaded.delete(name));
}

/** Right after login (and at start-up with a session): Home's code, the user's state and the first zones, in parallel. */
export function prefetchHome(qc: QueryClient): void {
  prefetchRoute('home');
  void qc.prefetchQuery(meQuery());
  void qc.prefetchQuery(forYouQuery());
  void qc.prefetchQuery(hiddenGemsQuery());
}

/** On hover or focus of a film link. */
export function prefetchFilm(qc: QueryClient, id: string): void {
  prefetchRoute('film');
  void qc.prefetchQuery(movieQuery(id));
  void qc.prefetchQuery(gemCeilingScaleQuery()); // the obscurity slider's scale: asked once, then cached for an hour
}
