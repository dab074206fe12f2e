/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Relative weights of the similarity axes, each 0-10 when given (null: not given). None given: the default weights; given but all 0: BAD_USER_INPUT (nothing to rank by). */
export type AxisWeights = {
  /** Shared genres. */
  genre?: number | null | undefined;
  /** Director and cast. */
  people?: number | null | undefined;
  /** Plot, tagline and themes. */
  story?: number | null | undefined;
  /** Genres, makers, era, length, language. */
  style?: number | null | undefined;
};

/** Order of a person's filmography. Default: YEAR. */
export type CreditSort =
  /** How known the film is: most TMDb votes first. */
  | 'KNOWN'
  /** Newest first; films without a year last. */
  | 'YEAR';

/** What a member of an evening says to one of its picks. */
export type EveningVote =
  /** Not tonight: it leaves the evening's list for everyone. */
  | 'NO'
  /** I've seen it: it leaves the evening's list for everyone. */
  | 'SEEN'
  /** I'd watch it tonight. Everyone's yes makes it the match. */
  | 'YES';

/** What confirming the import would do with a matched row. */
export type ImportChange =
  /** Another rating than yours (`currentRating`), or watched and leaving your watchlist. */
  | 'CHANGED'
  /** The same film and action earlier in the file counts. */
  | 'DUPLICATE'
  /** A rating, watched mark or watchlist entry you do not have yet. */
  | 'NEW'
  /** On the watchlist but watched in the same export. */
  | 'SKIPPED'
  /** You have it already: nothing changes. */
  | 'UNCHANGED';

/** What became of one row of an imported file. */
export type ImportRowStatus =
  /** Several catalogue films fit (`candidates`). */
  | 'AMBIGUOUS'
  /** The row cannot be read (`reason` says why). */
  | 'BAD_ROW'
  /** Matched to a catalogue film (`movie`). */
  | 'MATCHED'
  /** An IMDb TV series, episode, game ... */
  | 'NOT_A_FILM'
  /** No catalogue film fits. */
  | 'NOT_IN_CATALOGUE';

/** Search filters; every given one must hold. */
export type MovieFilter = {
  /** A film must have all of them. */
  genres?: Array<string> | null | undefined;
  /** Original language, ISO 639-1. */
  language?: string | null | undefined;
  minVotes?: number | null | undefined;
  runtimeMax?: number | null | undefined;
  runtimeMin?: number | null | undefined;
  yearFrom?: number | null | undefined;
  yearTo?: number | null | undefined;
};

/** Order of search results. Default: RELEVANCE for a query, POPULARITY when browsing. */
export type MovieSort =
  | 'POPULARITY'
  /** Vote-count-aware (Bayesian) average. */
  | 'RATING'
  | 'RELEVANCE'
  /** Newest first. */
  | 'YEAR';

/** Why a film is recommended. */
export type ReasonKind =
  /** Close to films the user rated highly (`movies`). */
  | 'BECAUSE_YOU_RATED'
  /** Tonight: `users` said yes to it; all the evening's members: it is the match. */
  | 'EVENING_YES'
  /** Together: every member has ratings and every member's fit is at least 0.95, each member's best 5% of the catalogue (`users`: everyone). */
  | 'FITS_EVERYONE'
  /** Viewers with similar taste liked it. */
  | 'LIKED_BY_SIMILAR_VIEWERS'
  /** Lesser known: few people have seen it. */
  | 'LOW_POPULARITY'
  /** Together, when not every fit reaches 0.95: it suits `users` (the members in the upper half of the fits, which lie 0.1 or more apart) more than the others, or, naming everyone, a middle ground (the fits are close together). */
  | 'MAINLY_FOR'
  /** It matches the described mood. */
  | 'MATCHES_VIBE'
  /** Together: on the watchlists of `users` (their chance of loving it is raised). */
  | 'ON_WATCHLIST'
  /** Onboarding: a widely seen film, good to rate first. */
  | 'POPULAR_START'
  /** Shared cast members (`people`). */
  | 'SHARED_CAST'
  /** Same director (`people`). */
  | 'SHARED_DIRECTOR'
  /** Shared genres (`genres`). */
  | 'SHARED_GENRES'
  /** Shared themes and keywords. */
  | 'SHARED_KEYWORDS'
  /** Same production company. */
  | 'SHARED_STUDIO'
  /** Its story is like the film's (`movies`). */
  | 'SIMILAR_STORY'
  /** Rated well by those who have seen it. */
  | 'WELL_RATED';

/** The recommendation zone an interaction came from. Omitted: BROWSE (not from a recommendation). */
export type Zone =
  /** Search, browsing, a film's page: no recommendation. */
  | 'BROWSE'
  /** Personal recommendations. */
  | 'FOR_YOU'
  /** Lesser-known films the user may like. */
  | 'HIDDEN_GEMS'
  /** Films similar to one film. */
  | 'SIMILAR'
  /** Films for the user and a partner. */
  | 'TOGETHER'
  /** Films matching a described mood. */
  | 'VIBE';

export type MovieCardFieldsFragment = { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number };

export type RecommendationFieldsFragment = { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> };

export type GemCeilingStepFieldsFragment = { percentile: number, maxVotes: number, text: string };

export type RegisterMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type RegisterMutation = { register: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, username: string } } };

export type LoginMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type LoginMutation = { login: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, username: string } } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, username: string } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, partners: Array<{ linkedAt: string, user: { id: string, username: string } }>, state: { favoriteIds: Array<string>, watchlistIds: Array<string>, watchedIds: Array<string>, dismissedIds: Array<string>, ratings: Array<{ movieId: string, value: number, ratedAt: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number } | null }>, watchlist: Array<{ movieId: string, addedAt: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number } | null }> } } | null };

export type MovieQueryVariables = Exact<{
  id: string;
}>;


export type MovieQuery = { movie: { originalTitle: string, releaseDate: string | null, overview: string | null, tagline: string | null, keywords: Array<string>, originalLanguage: string | null, popularity: number, companies: Array<string>, countries: Array<string>, id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number, directors: Array<{ id: string, name: string }>, cast: Array<{ id: string, name: string }> } | null };

export type MovieCardQueryVariables = Exact<{
  id: string;
}>;


export type MovieCardQuery = { movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number } | null };

export type CommentsQueryVariables = Exact<{
  movieId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type CommentsQuery = { movie: { id: string, comments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, body: string, createdAt: string, editedAt: string | null, movieId: string, author: { id: string, username: string } }> } } | null };

export type SearchMoviesQueryVariables = Exact<{
  query: string;
  filter?: MovieFilter | null | undefined;
  sort?: MovieSort | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type SearchMoviesQuery = { searchMovies: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, matchedPerson: { role: string, person: { id: string, name: string } } | null }> } };

export type PersonQueryVariables = Exact<{
  id: string;
  sort?: CreditSort | null | undefined;
}>;


export type PersonQuery = { person: { person: { id: string, name: string }, directed: Array<{ role: string, billing: number, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number } }>, acted: Array<{ role: string, billing: number, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number } }> } | null };

export type SuggestQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
}>;


export type SuggestQuery = { suggest: { movies: Array<{ id: string, title: string, year: number | null }>, people: Array<{ filmCount: number, person: { id: string, name: string }, knownFor: { role: string, movie: { id: string, title: string, year: number | null } } }> } };

export type GenresQueryVariables = Exact<{ [key: string]: never; }>;


export type GenresQuery = { genres: Array<{ name: string, movieCount: number }> };

export type ForYouQueryVariables = Exact<{
  first: number;
}>;


export type ForYouQuery = { forYou: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }> };

export type HiddenGemsQueryVariables = Exact<{
  movieId?: string | null | undefined;
  first: number;
  maxPopularityPercentile?: number | null | undefined;
}>;


export type HiddenGemsQuery = { hiddenGems: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }> };

export type GemCeilingScaleQueryVariables = Exact<{ [key: string]: never; }>;


export type GemCeilingScaleQuery = { gemCeilingScale: { trustedMinVotes: number, goodMinAverage: number, min: { percentile: number, maxVotes: number, text: string }, max: { percentile: number, maxVotes: number, text: string }, default: { percentile: number, maxVotes: number, text: string }, steps: Array<{ percentile: number, maxVotes: number, text: string }>, yours: { percentile: number, maxVotes: number, text: string } } };

export type SimilarQueryVariables = Exact<{
  movieId: string;
  first: number;
  weights?: AxisWeights | null | undefined;
}>;


export type SimilarQuery = { similar: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }> };

export type VibeQueryVariables = Exact<{
  text: string;
  first: number;
}>;


export type VibeQuery = { vibe: { picks: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }>, reading: { confident: boolean, message: string | null, suggestions: Array<string>, genres: Array<string>, avoidGenres: Array<string>, avoidTopics: Array<string> } } };

export type TogetherQueryVariables = Exact<{
  userIds: Array<string> | string;
  first: number;
}>;


export type TogetherQuery = { together: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }> };

export type TogetherWithMoodQueryVariables = Exact<{
  userIds: Array<string> | string;
  vibe: string;
  first: number;
}>;


export type TogetherWithMoodQuery = { togetherWithMood: { picks: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }>, reading: { confident: boolean, message: string | null, suggestions: Array<string>, genres: Array<string>, avoidGenres: Array<string>, avoidTopics: Array<string> } } };

export type OnboardingQueryVariables = Exact<{
  first: number;
}>;


export type OnboardingQuery = { onboarding: Array<{ zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> }> };

export type RateMovieMutationVariables = Exact<{
  movieId: string;
  value: number;
  zone?: Zone | null | undefined;
}>;


export type RateMovieMutation = { rateMovie: { movieId: string, value: number, ratedAt: string } };

export type ClearRatingMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type ClearRatingMutation = { clearRating: boolean };

export type AddFavoriteMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type AddFavoriteMutation = { addFavorite: boolean };

export type RemoveFavoriteMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type RemoveFavoriteMutation = { removeFavorite: boolean };

export type AddToWatchlistMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type AddToWatchlistMutation = { addToWatchlist: boolean };

export type RemoveFromWatchlistMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type RemoveFromWatchlistMutation = { removeFromWatchlist: boolean };

export type DismissMovieMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type DismissMovieMutation = { dismissMovie: boolean };

export type UndismissMovieMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type UndismissMovieMutation = { undismissMovie: boolean };

export type MarkWatchedMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type MarkWatchedMutation = { markWatched: boolean };

export type OpenMovieMutationVariables = Exact<{
  movieId: string;
  zone?: Zone | null | undefined;
}>;


export type OpenMovieMutation = { openMovie: boolean };

export type AddCommentMutationVariables = Exact<{
  movieId: string;
  body: string;
  idempotencyKey?: string | null | undefined;
}>;


export type AddCommentMutation = { addComment: { id: string, body: string, createdAt: string, editedAt: string | null, movieId: string, author: { id: string, username: string } } };

export type EditCommentMutationVariables = Exact<{
  id: string;
  body: string;
}>;


export type EditCommentMutation = { editComment: { id: string, body: string, createdAt: string, editedAt: string | null, movieId: string, author: { id: string, username: string } } };

export type DeleteCommentMutationVariables = Exact<{
  id: string;
}>;


export type DeleteCommentMutation = { deleteComment: boolean };

export type CreateInviteMutationVariables = Exact<{
  idempotencyKey?: string | null | undefined;
}>;


export type CreateInviteMutation = { createInvite: { code: string, expiresAt: string } };

export type AcceptInviteMutationVariables = Exact<{
  code: string;
}>;


export type AcceptInviteMutation = { acceptInvite: { linkedAt: string, user: { id: string, username: string } } };

export type UnlinkPartnerMutationVariables = Exact<{
  userId: string;
}>;


export type UnlinkPartnerMutation = { unlinkPartner: boolean };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type DeleteAccountMutationVariables = Exact<{
  password: string;
}>;


export type DeleteAccountMutation = { deleteAccount: boolean };

export type EveningFieldsFragment = { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> };

export type StartEveningMutationVariables = Exact<{
  mood?: string | null | undefined;
}>;


export type StartEveningMutation = { startEvening: { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> } };

export type EveningQueryVariables = Exact<{
  id: string;
}>;


export type EveningQuery = { evening: { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> } };

export type EveningUpdatesSubscriptionVariables = Exact<{
  id: string;
}>;


export type EveningUpdatesSubscription = { evening: { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> } };

export type EveningInviteQueryVariables = Exact<{
  token: string;
}>;


export type EveningInviteQuery = { eveningInvite: { eveningId: string, hostName: string, mood: string, memberCount: number, maxMembers: number, expiresAt: string } };

export type JoinEveningMutationVariables = Exact<{
  token: string;
}>;


export type JoinEveningMutation = { joinEvening: { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> } };

export type JoinEveningAsGuestMutationVariables = Exact<{
  token: string;
  name: string;
}>;


export type JoinEveningAsGuestMutation = { joinEveningAsGuest: { accessToken: string, accessTokenExpiresAt: string, user: { id: string, username: string }, evening: { id: string } } };

export type VoteOnPickMutationVariables = Exact<{
  eveningId: string;
  movieId: string;
  vote?: EveningVote | null | undefined;
}>;


export type VoteOnPickMutation = { voteOnPick: { id: string, version: number, mood: string, joinPath: string, expiresAt: string, members: Array<{ name: string, guest: boolean, host: boolean, user: { id: string } }>, me: { name: string, user: { id: string } } | null, picks: Array<{ match: boolean, myVote: EveningVote | null, votes: Array<{ vote: EveningVote, member: { name: string, user: { id: string } } }>, recommendation: { zone: Zone, score: number, modelVersion: string, movie: { id: string, title: string, year: number | null, genres: Array<string>, runtime: number | null, voteAverage: number, rating: number | null, voteCount: number, popularityPercentile: number }, reasons: Array<{ kind: ReasonKind, text: string, weight: number, people: Array<string>, genres: Array<string>, movies: Array<{ id: string, title: string }>, users: Array<{ id: string, username: string }> }>, fits: Array<{ score: number, tasteKnown: boolean, user: { id: string, username: string } | null }> } }> } };

export type GuestRateMutationVariables = Exact<{
  movieId: string;
  value: number;
}>;


export type GuestRateMutation = { rateMovie: { value: number } };

export type GuestOnboardingQueryVariables = Exact<{
  first: number;
}>;


export type GuestOnboardingQuery = { onboarding: Array<{ movie: { id: string, title: string, year: number | null, genres: Array<string> } }> };

export type PreviewImportMutationVariables = Exact<{
  file: File;
}>;


export type PreviewImportMutation = { previewImport: { id: string, source: string, fileName: string, expiresAt: string, counts: { rows: number, matched: number, notInCatalogue: number, ambiguous: number, notAFilm: number, badRows: number, ratingsNew: number, ratingsChanged: number, watchedNew: number, watchlistNew: number, unchanged: number }, rows: Array<{ file: string, line: number, action: string, title: string, year: number | null, imdbId: string | null, rating: number | null, status: ImportRowStatus, reason: string, change: ImportChange | null, currentRating: number | null, movieId: string | null, movie: { id: string, title: string, year: number | null } | null, candidates: Array<{ id: string, title: string, year: number | null }> }> } };

export type ConfirmImportMutationVariables = Exact<{
  previewId: string;
}>;


export type ConfirmImportMutation = { confirmImport: { previewId: string, ratingsWritten: number, watchedWritten: number, watchlistWritten: number, unchanged: number, alreadyConfirmed: boolean, confirmedAt: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const GemCeilingStepFieldsFragmentDoc = new TypedDocumentString(`
    fragment GemCeilingStepFields on GemCeilingStep {
  percentile
  maxVotes
  text
}
    `, {"fragmentName":"GemCeilingStepFields"}) as unknown as TypedDocumentString<GemCeilingStepFieldsFragment, unknown>;
export const MovieCardFieldsFragmentDoc = new TypedDocumentString(`
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
    `, {"fragmentName":"MovieCardFields"}) as unknown as TypedDocumentString<MovieCardFieldsFragment, unknown>;
export const RecommendationFieldsFragmentDoc = new TypedDocumentString(`
    fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`, {"fragmentName":"RecommendationFields"}) as unknown as TypedDocumentString<RecommendationFieldsFragment, unknown>;
export const EveningFieldsFragmentDoc = new TypedDocumentString(`
    fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`, {"fragmentName":"EveningFields"}) as unknown as TypedDocumentString<EveningFieldsFragment, unknown>;
export const RegisterDocument = new TypedDocumentString(`
    mutation Register($username: String!, $password: String!) {
  register(username: $username, password: $password) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterMutation, RegisterMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshTokenDocument = new TypedDocumentString(`
    mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    username
    partners {
      linkedAt
      user {
        id
        username
      }
    }
    state {
      ratings {
        movieId
        value
        ratedAt
        movie {
          ...MovieCardFields
        }
      }
      favoriteIds
      watchlistIds
      watchlist {
        movieId
        addedAt
        movie {
          ...MovieCardFields
        }
      }
      watchedIds
      dismissedIds
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MovieDocument = new TypedDocumentString(`
    query Movie($id: ID!) {
  movie(id: $id) {
    ...MovieCardFields
    originalTitle
    releaseDate
    overview
    tagline
    keywords
    originalLanguage
    popularity
    directors {
      id
      name
    }
    cast {
      id
      name
    }
    companies
    countries
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`) as unknown as TypedDocumentString<MovieQuery, MovieQueryVariables>;
export const MovieCardDocument = new TypedDocumentString(`
    query MovieCard($id: ID!) {
  movie(id: $id) {
    ...MovieCardFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`) as unknown as TypedDocumentString<MovieCardQuery, MovieCardQueryVariables>;
export const CommentsDocument = new TypedDocumentString(`
    query Comments($movieId: ID!, $first: Int!, $after: String) {
  movie(id: $movieId) {
    id
    comments(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        body
        createdAt
        editedAt
        movieId
        author {
          id
          username
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CommentsQuery, CommentsQueryVariables>;
export const SearchMoviesDocument = new TypedDocumentString(`
    query SearchMovies($query: String!, $filter: MovieFilter, $sort: MovieSort, $first: Int!, $after: String) {
  searchMovies(
    query: $query
    filter: $filter
    sort: $sort
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...MovieCardFields
      }
      matchedPerson {
        role
        person {
          id
          name
        }
      }
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`) as unknown as TypedDocumentString<SearchMoviesQuery, SearchMoviesQueryVariables>;
export const PersonDocument = new TypedDocumentString(`
    query Person($id: ID!, $sort: CreditSort) {
  person(id: $id, sort: $sort) {
    person {
      id
      name
    }
    directed {
      role
      billing
      movie {
        ...MovieCardFields
      }
    }
    acted {
      role
      billing
      movie {
        ...MovieCardFields
      }
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}`) as unknown as TypedDocumentString<PersonQuery, PersonQueryVariables>;
export const SuggestDocument = new TypedDocumentString(`
    query Suggest($query: String!, $first: Int) {
  suggest(query: $query, first: $first) {
    movies {
      id
      title
      year
    }
    people {
      person {
        id
        name
      }
      filmCount
      knownFor {
        role
        movie {
          id
          title
          year
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SuggestQuery, SuggestQueryVariables>;
export const GenresDocument = new TypedDocumentString(`
    query Genres {
  genres {
    name
    movieCount
  }
}
    `) as unknown as TypedDocumentString<GenresQuery, GenresQueryVariables>;
export const ForYouDocument = new TypedDocumentString(`
    query ForYou($first: Int!) {
  forYou(first: $first) {
    ...RecommendationFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<ForYouQuery, ForYouQueryVariables>;
export const HiddenGemsDocument = new TypedDocumentString(`
    query HiddenGems($movieId: ID, $first: Int!, $maxPopularityPercentile: Float) {
  hiddenGems(
    movieId: $movieId
    first: $first
    maxPopularityPercentile: $maxPopularityPercentile
  ) {
    ...RecommendationFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<HiddenGemsQuery, HiddenGemsQueryVariables>;
export const GemCeilingScaleDocument = new TypedDocumentString(`
    query GemCeilingScale {
  gemCeilingScale {
    min {
      ...GemCeilingStepFields
    }
    max {
      ...GemCeilingStepFields
    }
    default {
      ...GemCeilingStepFields
    }
    steps {
      ...GemCeilingStepFields
    }
    yours {
      ...GemCeilingStepFields
    }
    trustedMinVotes
    goodMinAverage
  }
}
    fragment GemCeilingStepFields on GemCeilingStep {
  percentile
  maxVotes
  text
}`) as unknown as TypedDocumentString<GemCeilingScaleQuery, GemCeilingScaleQueryVariables>;
export const SimilarDocument = new TypedDocumentString(`
    query Similar($movieId: ID!, $first: Int!, $weights: AxisWeights) {
  similar(movieId: $movieId, first: $first, weights: $weights) {
    ...RecommendationFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<SimilarQuery, SimilarQueryVariables>;
export const VibeDocument = new TypedDocumentString(`
    query Vibe($text: String!, $first: Int!) {
  vibe(text: $text, first: $first) {
    picks {
      ...RecommendationFields
    }
    reading {
      confident
      message
      suggestions
      genres
      avoidGenres
      avoidTopics
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<VibeQuery, VibeQueryVariables>;
export const TogetherDocument = new TypedDocumentString(`
    query Together($userIds: [ID!]!, $first: Int!) {
  together(userIds: $userIds, first: $first) {
    ...RecommendationFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<TogetherQuery, TogetherQueryVariables>;
export const TogetherWithMoodDocument = new TypedDocumentString(`
    query TogetherWithMood($userIds: [ID!]!, $vibe: String!, $first: Int!) {
  togetherWithMood(userIds: $userIds, vibe: $vibe, first: $first) {
    picks {
      ...RecommendationFields
    }
    reading {
      confident
      message
      suggestions
      genres
      avoidGenres
      avoidTopics
    }
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<TogetherWithMoodQuery, TogetherWithMoodQueryVariables>;
export const OnboardingDocument = new TypedDocumentString(`
    query Onboarding($first: Int!) {
  onboarding(first: $first) {
    ...RecommendationFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}`) as unknown as TypedDocumentString<OnboardingQuery, OnboardingQueryVariables>;
export const RateMovieDocument = new TypedDocumentString(`
    mutation RateMovie($movieId: ID!, $value: Float!, $zone: Zone) {
  rateMovie(movieId: $movieId, value: $value, zone: $zone) {
    movieId
    value
    ratedAt
  }
}
    `) as unknown as TypedDocumentString<RateMovieMutation, RateMovieMutationVariables>;
export const ClearRatingDocument = new TypedDocumentString(`
    mutation ClearRating($movieId: ID!, $zone: Zone) {
  clearRating(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<ClearRatingMutation, ClearRatingMutationVariables>;
export const AddFavoriteDocument = new TypedDocumentString(`
    mutation AddFavorite($movieId: ID!, $zone: Zone) {
  addFavorite(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<AddFavoriteMutation, AddFavoriteMutationVariables>;
export const RemoveFavoriteDocument = new TypedDocumentString(`
    mutation RemoveFavorite($movieId: ID!, $zone: Zone) {
  removeFavorite(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<RemoveFavoriteMutation, RemoveFavoriteMutationVariables>;
export const AddToWatchlistDocument = new TypedDocumentString(`
    mutation AddToWatchlist($movieId: ID!, $zone: Zone) {
  addToWatchlist(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<AddToWatchlistMutation, AddToWatchlistMutationVariables>;
export const RemoveFromWatchlistDocument = new TypedDocumentString(`
    mutation RemoveFromWatchlist($movieId: ID!, $zone: Zone) {
  removeFromWatchlist(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<RemoveFromWatchlistMutation, RemoveFromWatchlistMutationVariables>;
export const DismissMovieDocument = new TypedDocumentString(`
    mutation DismissMovie($movieId: ID!, $zone: Zone) {
  dismissMovie(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<DismissMovieMutation, DismissMovieMutationVariables>;
export const UndismissMovieDocument = new TypedDocumentString(`
    mutation UndismissMovie($movieId: ID!, $zone: Zone) {
  undismissMovie(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<UndismissMovieMutation, UndismissMovieMutationVariables>;
export const MarkWatchedDocument = new TypedDocumentString(`
    mutation MarkWatched($movieId: ID!, $zone: Zone) {
  markWatched(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<MarkWatchedMutation, MarkWatchedMutationVariables>;
export const OpenMovieDocument = new TypedDocumentString(`
    mutation OpenMovie($movieId: ID!, $zone: Zone) {
  openMovie(movieId: $movieId, zone: $zone)
}
    `) as unknown as TypedDocumentString<OpenMovieMutation, OpenMovieMutationVariables>;
export const AddCommentDocument = new TypedDocumentString(`
    mutation AddComment($movieId: ID!, $body: String!, $idempotencyKey: String) {
  addComment(movieId: $movieId, body: $body, idempotencyKey: $idempotencyKey) {
    id
    body
    createdAt
    editedAt
    movieId
    author {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<AddCommentMutation, AddCommentMutationVariables>;
export const EditCommentDocument = new TypedDocumentString(`
    mutation EditComment($id: ID!, $body: String!) {
  editComment(id: $id, body: $body) {
    id
    body
    createdAt
    editedAt
    movieId
    author {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<EditCommentMutation, EditCommentMutationVariables>;
export const DeleteCommentDocument = new TypedDocumentString(`
    mutation DeleteComment($id: ID!) {
  deleteComment(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteCommentMutation, DeleteCommentMutationVariables>;
export const CreateInviteDocument = new TypedDocumentString(`
    mutation CreateInvite($idempotencyKey: String) {
  createInvite(idempotencyKey: $idempotencyKey) {
    code
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<CreateInviteMutation, CreateInviteMutationVariables>;
export const AcceptInviteDocument = new TypedDocumentString(`
    mutation AcceptInvite($code: String!) {
  acceptInvite(code: $code) {
    linkedAt
    user {
      id
      username
    }
  }
}
    `) as unknown as TypedDocumentString<AcceptInviteMutation, AcceptInviteMutationVariables>;
export const UnlinkPartnerDocument = new TypedDocumentString(`
    mutation UnlinkPartner($userId: ID!) {
  unlinkPartner(userId: $userId)
}
    `) as unknown as TypedDocumentString<UnlinkPartnerMutation, UnlinkPartnerMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const DeleteAccountDocument = new TypedDocumentString(`
    mutation DeleteAccount($password: String!) {
  deleteAccount(password: $password)
}
    `) as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const StartEveningDocument = new TypedDocumentString(`
    mutation StartEvening($mood: String) {
  startEvening(mood: $mood) {
    ...EveningFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}`) as unknown as TypedDocumentString<StartEveningMutation, StartEveningMutationVariables>;
export const EveningDocument = new TypedDocumentString(`
    query Evening($id: ID!) {
  evening(id: $id) {
    ...EveningFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}`) as unknown as TypedDocumentString<EveningQuery, EveningQueryVariables>;
export const EveningUpdatesDocument = new TypedDocumentString(`
    subscription EveningUpdates($id: ID!) {
  evening(id: $id) {
    ...EveningFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}`) as unknown as TypedDocumentString<EveningUpdatesSubscription, EveningUpdatesSubscriptionVariables>;
export const EveningInviteDocument = new TypedDocumentString(`
    query EveningInvite($token: String!) {
  eveningInvite(token: $token) {
    eveningId
    hostName
    mood
    memberCount
    maxMembers
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<EveningInviteQuery, EveningInviteQueryVariables>;
export const JoinEveningDocument = new TypedDocumentString(`
    mutation JoinEvening($token: String!) {
  joinEvening(token: $token) {
    ...EveningFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}`) as unknown as TypedDocumentString<JoinEveningMutation, JoinEveningMutationVariables>;
export const JoinEveningAsGuestDocument = new TypedDocumentString(`
    mutation JoinEveningAsGuest($token: String!, $name: String!) {
  joinEveningAsGuest(token: $token, name: $name) {
    accessToken
    accessTokenExpiresAt
    user {
      id
      username
    }
    evening {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<JoinEveningAsGuestMutation, JoinEveningAsGuestMutationVariables>;
export const VoteOnPickDocument = new TypedDocumentString(`
    mutation VoteOnPick($eveningId: ID!, $movieId: ID!, $vote: EveningVote) {
  voteOnPick(eveningId: $eveningId, movieId: $movieId, vote: $vote) {
    ...EveningFields
  }
}
    fragment MovieCardFields on Movie {
  id
  title
  year
  genres
  runtime
  voteAverage
  rating
  voteCount
  popularityPercentile
}
fragment RecommendationFields on Recommendation {
  zone
  score
  modelVersion
  movie {
    ...MovieCardFields
  }
  reasons {
    kind
    text
    weight
    people
    genres
    movies {
      id
      title
    }
    users {
      id
      username
    }
  }
  fits {
    score
    tasteKnown
    user {
      id
      username
    }
  }
}
fragment EveningFields on Evening {
  id
  version
  mood
  joinPath
  expiresAt
  members {
    name
    guest
    host
    user {
      id
    }
  }
  me {
    name
    user {
      id
    }
  }
  picks(first: 12) {
    match
    myVote
    votes {
      vote
      member {
        name
        user {
          id
        }
      }
    }
    recommendation {
      ...RecommendationFields
    }
  }
}`) as unknown as TypedDocumentString<VoteOnPickMutation, VoteOnPickMutationVariables>;
export const GuestRateDocument = new TypedDocumentString(`
    mutation GuestRate($movieId: ID!, $value: Float!) {
  rateMovie(movieId: $movieId, value: $value, zone: TOGETHER) {
    value
  }
}
    `) as unknown as TypedDocumentString<GuestRateMutation, GuestRateMutationVariables>;
export const GuestOnboardingDocument = new TypedDocumentString(`
    query GuestOnboarding($first: Int!) {
  onboarding(first: $first) {
    movie {
      id
      title
      year
      genres
    }
  }
}
    `) as unknown as TypedDocumentString<GuestOnboardingQuery, GuestOnboardingQueryVariables>;
export const PreviewImportDocument = new TypedDocumentString(`
    mutation PreviewImport($file: Upload!) {
  previewImport(file: $file) {
    id
    source
    fileName
    expiresAt
    counts {
      rows
      matched
      notInCatalogue
      ambiguous
      notAFilm
      badRows
      ratingsNew
      ratingsChanged
      watchedNew
      watchlistNew
      unchanged
    }
    rows {
      file
      line
      action
      title
      year
      imdbId
      rating
      status
      reason
      change
      currentRating
      movieId
      movie {
        id
        title
        year
      }
      candidates {
        id
        title
        year
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PreviewImportMutation, PreviewImportMutationVariables>;
export const ConfirmImportDocument = new TypedDocumentString(`
    mutation ConfirmImport($previewId: ID!) {
  confirmImport(previewId: $previewId) {
    previewId
    ratingsWritten
    watchedWritten
    watchlistWritten
    unchanged
    alreadyConfirmed
    confirmedAt
  }
}
    `) as unknown as TypedDocumentString<ConfirmImportMutation, ConfirmImportMutationVariables>;