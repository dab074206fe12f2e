/** Pure updates of the signed-in user's state, applied optimistically before the server answers. */
import type { MeQuery, MovieCardFieldsFragment } from '../gql/graphql';

export type Me = NonNullable<MeQuery['me']>;
export type UserState = Me['state'];

export type FilmAction =
  | { kind: 'rate'; movieId: string; value: number; movie?: MovieCardFieldsFragment | null; at?: string }
  | { kind: 'clearRating'; movieId: string }
  | { kind: 'favorite'; movieId: string; on: boolean }
  | { kind: 'watchlist'; movieId: string; on: boolean; movie?: MovieCardFieldsFragment | null; at?: string }
  | { kind: 'dismiss'; movieId: string; on: boolean }
  /** "Seen it": the API has no way to unmark a watched film, so this only ever adds. */
  | { kind: 'watched'; movieId: string };

/** The server sends every list newest first (favourites, watchlist, dismissals, ratings): an optimistic
 * addition goes in front, where the server's answer will have it. */
function toggle(ids: readonly string[], id: string, on: boolean): string[] {
  const without = ids.filter((x) => x !== id);
  return on ? [id, ...without] : without;
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
      return { ...state, ratings: [rating, ...state.ratings.filter((r) => r.movieId !== action.movieId)] };
    }
    case 'clearRating':
      return { ...state, ratings: state.ratings.filter((r) => r.movieId !== action.movieId) };
    case 'favorite':
      return { ...state, favoriteIds: toggle(state.favoriteIds, action.movieId, action.on) };
    case 'watchlist': {
      const watchlist = state.watchlist.filter((w) => w.movieId !== action.movieId);
      if (action.on) {
        watchlist.unshift({ movieId: action.movieId, addedAt: action.at ?? new Date().toISOString(), movie: action.movie ?? null });
      }
      return { ...state, watchlistIds: toggle(state.watchlistIds, action.movieId, action.on), watchlist };
    }
    case 'dismiss':
      return { ...state, dismissedIds: toggle(state.dismissedIds, action.movieId, action.on) };
    case 'watched':
      return { ...state, watchedIds: toggle(state.watchedIds, action.movieId, true) };
  }
}

export function applyToMe(me: Me | null | undefined, action: FilmAction): Me | null | undefined {
  return me ? { ...me, state: applyAction(me.state, action) } : me;
}

export function ratingOf(state: UserState | undefined, movieId: string): number | null {
  return state?.ratings.find((r) => r.movieId === movieId)?.value ?? null;
}

/** The film the "More like your last favourite" row is anchored on: the latest favourite (favoriteIds
 * come newest first, so the first), else the most recent rating of 4 or more. */
export function lastFavourite(state: UserState | undefined): { movieId: string; title: string | null } | null {
  if (!state) return null;
  const fav = state.favoriteIds[0];
  if (fav) {
    const title =
      state.ratings.find((r) => r.movieId === fav)?.movie?.title ?? state.watchlist.find((w) => w.movieId === fav)?.movie?.title ?? null;
    return { movieId: fav, title };
  }
  const loved = [...state.ratings].filter((r) => r.value >= 4).sort((a, b) => b.ratedAt.localeCompare(a.ratedAt))[0];
  return loved ? { movieId: loved.movieId, title: loved.movie?.title ?? null } : null;
}

/** What For you is made of, for its description: nothing of the user's before they rate (a quality list
 * across genres), their ratings alone below 5, then also people who rate like them (docs/recommender.md). */
export function forYouDescription(ratingCount: number | null): string {
  if (ratingCount === null) return 'Picked for you.';
  if (ratingCount === 0) return 'Well-rated films across genres to start with; rate a few and this row follows your taste.';
  if (ratingCount < ONBOARDING_TARGET) return 'From your ratings so far; people who rate like you count from 5 ratings.';
  return 'From your ratings and people who rate like you.';
}

/** Ratings that are enough to start For you (the recommender blends in collaborative filtering from 5). */
export const ONBOARDING_TARGET = 5;
