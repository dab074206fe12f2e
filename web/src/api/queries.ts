/** Query keys and options shared by components, prefetching and cache updates. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { AxisWeights, CreditSort, MovieFilter, MovieSort } from '../gql/graphql';
import { vibeTooLong } from '../lib/vibeText';
import { asSentence } from './errors';
import {
  CommentsDocument,
  ForYouDocument,
  GemCeilingScaleDocument,
  GenresDocument,
  HiddenGemsDocument,
  MeDocument,
  MovieCardDocument,
  MovieDocument,
  OnboardingDocument,
  PersonDocument,
  SearchMoviesDocument,
  SimilarDocument,
  SuggestDocument,
  TogetherDocument,
  TogetherWithMoodDocument,
  VibeDocument,
} from './operations';
import { api } from './session';

export const ZONE_SIZE = 20;
export const SEARCH_PAGE = 24;
export const COMMENTS_PAGE = 20;

export const keys = {
  me: ['me'] as const,
  zones: ['zone'] as const,
  forYou: ['zone', 'forYou'] as const,
  hiddenGems: (movieId: string | null, maxPopularity: number | null) => ['zone', 'hiddenGems', movieId, maxPopularity] as const,
  similar: (movieId: string, weights: AxisWeights | null) => ['zone', 'similar', movieId, weights] as const,
  vibe: (text: string) => ['zone', 'vibe', text] as const,
  together: (userIds: readonly string[]) => ['zone', 'together', [...userIds].sort()] as const,
  togetherWithMood: (userIds: readonly string[], vibe: string) => ['zone', 'together', [...userIds].sort(), vibe] as const,
  onboarding: ['onboarding'] as const,
  movie: (id: string) => ['movie', id] as const,
  movieCard: (id: string) => ['movieCard', id] as const,
  comments: (movieId: string) => ['comments', movieId] as const,
  search: (query: string, filter: MovieFilter | null, sort: MovieSort | null) => ['search', query, filter, sort] as const,
  genres: ['genres'] as const,
  person: (id: string, sort: CreditSort) => ['person', id, sort] as const,
  suggest: (query: string) => ['suggest', query] as const,
  gemCeilingScale: ['gemCeilingScale'] as const,
};

export const meQuery = () =>
  queryOptions({
    queryKey: keys.me,
    queryFn: async ({ signal }) => (await api.request(MeDocument, {}, { signal })).me,
    staleTime: 30_000,
  });

export const forYouQuery = () =>
  queryOptions({
    queryKey: keys.forYou,
    queryFn: async ({ signal }) => (await api.request(ForYouDocument, { first: ZONE_SIZE }, { signal })).forYou,
  });

export const hiddenGemsQuery = (movieId: string | null = null, maxPopularity: number | null = null) =>
  queryOptions({
    queryKey: keys.hiddenGems(movieId, maxPopularity),
    queryFn: async ({ signal }) =>
      (
        await api.request(
          HiddenGemsDocument,
          { first: ZONE_SIZE, movieId, maxPopularityPercentile: maxPopularity },
          { signal },
        )
      ).hiddenGems,
  });

/**
 * What the Hidden-gems ceiling can be, in votes, and the signed-in user's own (learnt) ceiling: the scale
 * changes only with the catalogue, `yours` with the gems the user takes and skips.
 */
export const gemCeilingScaleQuery = () =>
  queryOptions({
    queryKey: keys.gemCeilingScale,
    queryFn: async ({ signal }) => (await api.request(GemCeilingScaleDocument, {}, { signal })).gemCeilingScale,
    staleTime: 60_000,
  });

/** Weights given but all zero rank by nothing: the gateway refuses them (BAD_USER_INPUT), so they are never sent. */
export function allWeightsZero(weights: AxisWeights | null): boolean {
  if (!weights) return false;
  const given = [weights.story, weights.people, weights.style, weights.genre].filter((w) => w !== null && w !== undefined);
  return given.length > 0 && given.every((w) => w === 0);
}

export const similarQuery = (movieId: string, weights: AxisWeights | null = null) =>
  queryOptions({
    queryKey: keys.similar(movieId, weights),
    queryFn: async ({ signal }) => {
      try {
        return (await api.request(SimilarDocument, { movieId, first: ZONE_SIZE, weights }, { signal })).similar;
      } catch (e) {
        throw asSentence(e, 'BAD_USER_INPUT'); // "all axis weights are zero: ..." is written for people
      }
    },
    enabled: !allWeightsZero(weights),
  });

export const vibeQuery = (text: string) =>
  queryOptions({
    queryKey: keys.vibe(text),
    queryFn: async ({ signal }) => (await api.request(VibeDocument, { text, first: ZONE_SIZE }, { signal })).vibe,
    enabled: text.trim().length > 0 && !vibeTooLong(text), // a text over the limit is never sent: the box says why
  });

export const togetherQuery = (userIds: readonly string[]) =>
  queryOptions({
    queryKey: keys.together(userIds),
    queryFn: async ({ signal }) =>
      (await api.request(TogetherDocument, { userIds: [...userIds], first: ZONE_SIZE }, { signal })).together,
    enabled: userIds.length > 0,
  });

/** Together in a mood: the picks and how the mood was read (as vibeQuery answers). */
export const togetherWithMoodQuery = (userIds: readonly string[], vibe: string) =>
  queryOptions({
    queryKey: keys.togetherWithMood(userIds, vibe),
    queryFn: async ({ signal }) =>
      (await api.request(TogetherWithMoodDocument, { userIds: [...userIds], vibe, first: ZONE_SIZE }, { signal })).togetherWithMood,
    enabled: userIds.length > 0 && vibe.trim().length > 0 && !vibeTooLong(vibe), // never sent over the limit
  });

export const onboardingQuery = () =>
  queryOptions({
    queryKey: keys.onboarding,
    queryFn: async ({ signal }) => (await api.request(OnboardingDocument, { first: 24 }, { signal })).onboarding,
    staleTime: 5 * 60_000,
  });

export const movieQuery = (id: string) =>
  queryOptions({
    queryKey: keys.movie(id),
    queryFn: async ({ signal }) => (await api.request(MovieDocument, { id }, { signal })).movie,
    staleTime: 10 * 60_000,
  });

export const movieCardQuery = (id: string) =>
  queryOptions({
    queryKey: keys.movieCard(id),
    queryFn: async ({ signal }) => (await api.request(MovieCardDocument, { id }, { signal })).movie,
    staleTime: 10 * 60_000,
  });

export const commentsQuery = (movieId: string) =>
  infiniteQueryOptions({
    queryKey: keys.comments(movieId),
    queryFn: async ({ signal, pageParam }) => {
      const data = await api.request(CommentsDocument, { movieId, first: COMMENTS_PAGE, after: pageParam }, { signal });
      if (!data.movie) throw new Error('film not found');
      return data.movie.comments;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : null),
  });

export const searchQuery = (query: string, filter: MovieFilter | null, sort: MovieSort | null) =>
  infiniteQueryOptions({
    queryKey: keys.search(query, filter, sort),
    queryFn: async ({ signal, pageParam }) =>
      (await api.request(SearchMoviesDocument, { query, filter, sort, first: SEARCH_PAGE, after: pageParam }, { signal }))
        .searchMovies,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : null),
    staleTime: 5 * 60_000,
  });

export const genresQuery = () =>
  queryOptions({
    queryKey: keys.genres,
    queryFn: async ({ signal }) => (await api.request(GenresDocument, {}, { signal })).genres,
    staleTime: 60 * 60_000,
  });

export const personQuery = (id: string, sort: CreditSort) =>
  queryOptions({
    queryKey: keys.person(id, sort),
    queryFn: async ({ signal }) => (await api.request(PersonDocument, { id, sort }, { signal })).person,
    staleTime: 10 * 60_000,
  });

/** Typeahead: asked from SUGGEST_MIN_CHARS characters (fewer suggest nothing), SUGGEST_MAX_CHARS at most. */
export const SUGGEST_MIN_CHARS = 2;
export const SUGGEST_MAX_CHARS = 100;
export const suggestKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();
export const suggestQuery = (text: string) => {
  const query = suggestKey(text);
  return queryOptions({
    queryKey: keys.suggest(query),
    queryFn: async ({ signal }) => (await api.request(SuggestDocument, { query, first: 5 }, { signal })).suggest,
    enabled: query.length >= SUGGEST_MIN_CHARS && query.length <= SUGGEST_MAX_CHARS,
    staleTime: 5 * 60_000,
  });
};
