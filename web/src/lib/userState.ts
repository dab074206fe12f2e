/** Pure updates of the signed-in user's state, applied optimistically before the server answers. */
import type { MeQuery, MovieCardFieldsFragment } from '../gql/graphql';

export type Me = NonNullable<MeQuery['me']>;
export type UserState = Me['state'];

export type FilmAction =
  | { kind: 'rate'; movieId: string; value: number; movie?: MovieCardFieldsFragment | null; at?: string }
  | { kind: 'clearRating'; movieId: string }
  | { kind: 'favorite'; movieId: string; on: boolean }
  | { kind: 'watchlist'; movieId: string; on: boolean; movie?: MovieCardFieldsFragment | null; at?: string }
  | { kind: 'dismiss'; movieId: string; on: boolean };

function toggle(ids: readonly string[], id: string, on: boolean): string[] {
  const without = ids.filter((x) => x !== id);
  return on ? [...without, id] : without;
}

export function applyAction(state: UserState, action: FilmAction): UserState {
  switch (action.kind) {
    case 'rate': {
      const existing = state.ratings.find((r) => r.movieId === action.movieId);
      const rating = {
        movieId: action.movieId,
        value: action.value,
        ratedAt: action.at ?? new Date().toISOString(),
        movie: action.movie ?? existing?.movie ?? null,
      };
      return { ...state, ratings: [...state.ratings.filter((r) => r.movieId !== action.movieId), rating] };
    }
    case 'clearRating':
      return { ...state, ratings: state.ratings.filter((r) => r.movieId !== action.movieId) };
    case 'favorite':
      return { ...state, favoriteIds: toggle(state.favoriteIds, action.movieId, action.on) };
    case 'watchlist': {
      const watchlist = state.watchlist.filter((w) => w.movieId !== action.movieId);
      if (action.on) {
        watchlist.push({ movieId: action.movieId, addedAt: action.at ?? new Date().toISOString(), movie: action.movie ?? null });
      }
      return { ...state, watchlistIds: toggle(state.watchlistIds, action.movieId, action.on), watchlist };
    }
    case 'dismiss':
      return { ...state, dismissedIds: toggle(state.dismissedIds, action.movieId, action.on) };
  }
}

export function applyToMe(me: Me | null | undefined, action: FilmAction): Me | null | undefined {
  return me ? { ...me, state: applyAction(me.state, action) } : me;
}

export function ratingOf(state: UserState | undefined, movieId: string): number | null {
  return state?.ratings.find((r) => r.movieId === movieId)?.value ?? null;
}

/** The film the "More like your last favourite" row is anchored on: the last favourite, else the
 * most recent rating of 4 or more. */
export function lastFavourite(state: UserState | undefined): { movieId: string; title: string | null } | null {
  if (!state) return null;
  const fav = state.favoriteIds.at(-1);
  if (fav) {
    const rated = state.ratings.find((r) => r.movieId === fav);
    return { movieId: fav, title: rated?.movie?.title ?? null };
  }
  const loved = [...state.ratings].filter((r) => r.value >= 4).sort((a, b) => b.ratedAt.localeCompare(a.ratedAt))[0];
  return loved ? { movieId: loved.movieId, title: loved.movie?.title ?? null } : null;
}

/** Ratings that are enough to start For you (the recommender blends in collaborative filtering from 5). */
export const ONBOARDING_TARGET = 5;
