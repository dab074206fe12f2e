/**
 * The user's actions on a film, applied to the cached `me` state at once (optimistic), sent with
 * the zone they came from, rolled back with a message in plain words if the API refuses them. The
 * recommendation zones are refetched shortly after (the recommender applies feedback within a second).
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../api/errors';
import {
  AddFavoriteDocument,
  AddToWatchlistDocument,
  ClearRatingDocument,
  DismissMovieDocument,
  MarkWatchedDocument,
  RateMovieDocument,
  RemoveFavoriteDocument,
  RemoveFromWatchlistDocument,
  UndismissMovieDocument,
} from '../api/operations';
import { keys } from '../api/queries';
import { api } from '../api/session';
import { useAuth } from '../auth/AuthProvider';
import { useSignInHref } from '../auth/next';
import type { Zone } from '../gql/graphql';
import { useToast } from '../components/Toasts';
import { applyToMe, type FilmAction, type Me } from './userState';

export const ZONE_REFRESH_DELAY_MS = 1200;

const timers = new WeakMap<QueryClient, number>();
/** Refetch the zones on screen once the user pauses (debounced). */
export function scheduleZoneRefresh(qc: QueryClient, delay = ZONE_REFRESH_DELAY_MS): void {
  window.clearTimeout(timers.get(qc));
  timers.set(
    qc,
    window.setTimeout(() => {
      timers.delete(qc);
      void qc.invalidateQueries({ queryKey: keys.zones });
    }, delay),
  );
}

export async function sendAction(action: FilmAction, zone: Zone | null): Promise<void> {
  const v = { movieId: action.movieId, zone };
  switch (action.kind) {
    case 'rate':
      await api.request(RateMovieDocument, { ...v, value: action.value });
      return;
    case 'clearRating':
      await api.request(ClearRatingDocument, v);
      return;
    case 'favorite':
      if (action.on) await api.request(AddFavoriteDocument, v);
      else await api.request(RemoveFavoriteDocument, v);
      return;
    case 'watchlist':
      if (action.on) await api.request(AddToWatchlistDocument, v);
      else await api.request(RemoveFromWatchlistDocument, v);
      return;
    case 'dismiss':
      if (action.on) await api.request(DismissMovieDocument, v);
      else await api.request(UndismissMovieDocument, v);
      return;
    case 'watched':
      await api.request(MarkWatchedDocument, v);
      return;
  }
}

export function actionFailureText(action: FilmAction): string {
  switch (action.kind) {
    case 'rate':
      return "Your rating wasn't saved.";
    case 'clearRating':
      return "Your rating wasn't cleared.";
    case 'favorite':
      return action.on ? "Couldn't add to favourites." : "Couldn't remove from favourites.";
    case 'watchlist':
      return action.on ? "Couldn't add to your watchlist." : "Couldn't remove from your watchlist.";
    case 'dismiss':
      return action.on ? "Couldn't hide the film." : "Couldn't bring the film back.";
    case 'watched':
      return "Couldn't mark the film as seen.";
  }
}

interface Vars {
  action: FilmAction;
  zone: Zone | null;
}

/**
 * `run` sends an action; signed out nothing is sent (the API would refuse it) and `run` goes to the
 * log-in page, which comes back here. `signedIn` lets a page show "Sign in to rate" links instead.
 */
export function useFilmActions() {
  const { signedIn } = useAuth();
  const signInHref = useSignInHref();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const mutation = useMutation<void, unknown, Vars, { previous: Me | null | undefined }>({
    mutationFn: ({ action, zone }) => sendAction(action, zone),
    onMutate: async ({ action }) => {
      await qc.cancelQueries({ queryKey: keys.me });
      const previous = qc.getQueryData<Me | null>(keys.me);
      qc.setQueryData<Me | null | undefined>(keys.me, (me) => applyToMe(me, action));
      return { previous };
    },
    onError: (error, { action }, context) => {
      if (context) qc.setQueryData(keys.me, context.previous);
      toast.error(`${actionFailureText(action)} ${describeError(error)}`);
      void qc.invalidateQueries({ queryKey: keys.me });
    },
    onSuccess: () => scheduleZoneRefresh(qc),
  });
  const { mutate } = mutation;
  const run = useCallback(
    (action: FilmAction, zone: Zone | null = null) => {
      if (!signedIn) void navigate(signInHref);
      else mutate({ action, zone });
    },
    [mutate, signedIn, signInHref, navigate],
  );
  return { run, signedIn, signInHref };
}
