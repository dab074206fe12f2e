// Every GraphQL operation of the web client. `npm run codegen` turns each into a typed document in
// src/gql/ (TypedDocumentString: result and variables types travel with the query text).
import { graphql } from '../gql';

export const MovieCardFields = graphql(`
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
`);

export const RecommendationFields = graphql(`
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
`);

export const GemCeilingStepFields = graphql(`
  fragment GemCeilingStepFields on GemCeilingStep {
    percentile
    maxVotes
    text
  }
`);

// ---------------------------------------------------------------- session

export const RegisterDocument = graphql(`
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
`);

export const LoginDocument = graphql(`
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
`);

export const RefreshTokenDocument = graphql(`
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
`);

export const LogoutDocument = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

/** The whole signed-in state in one round trip: ratings, lists, dismissals, partners. */
export const MeDocument = graphql(`
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
`);

// ---------------------------------------------------------------- catalogue

export const MovieDocument = graphql(`
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
`);

export const MovieCardDocument = graphql(`
  query MovieCard($id: ID!) {
    movie(id: $id) {
      ...MovieCardFields
    }
  }
`);

export const CommentsDocument = graphql(`
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
`);

export const SearchMoviesDocument = graphql(`
  query SearchMovies($query: String!, $filter: MovieFilter, $sort: MovieSort, $first: Int!, $after: String) {
    searchMovies(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
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
`);

export const PersonDocument = graphql(`
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
`);

export const SuggestDocument = graphql(`
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
`);

export const GenresDocument = graphql(`
  query Genres {
    genres {
      name
      movieCount
    }
  }
`);

// ---------------------------------------------------------------- zones

export const ForYouDocument = graphql(`
  query ForYou($first: Int!) {
    forYou(first: $first) {
      ...RecommendationFields
    }
  }
`);

export const HiddenGemsDocument = graphql(`
  query HiddenGems($movieId: ID, $first: Int!, $maxPopularityPercentile: Float) {
    hiddenGems(movieId: $movieId, first: $first, maxPopularityPercentile: $maxPopularityPercentile) {
      ...RecommendationFields
    }
  }
`);

/** The Hidden-gems ceiling's range, default and steps, in votes (the obscurity slider's scale). */
export const GemCeilingScaleDocument = graphql(`
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
`);

export const SimilarDocument = graphql(`
  query Similar($movieId: ID!, $first: Int!, $weights: AxisWeights) {
    similar(movieId: $movieId, first: $first, weights: $weights) {
      ...RecommendationFields
    }
  }
`);

export const VibeDocument = graphql(`
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
`);

export const TogetherDocument = graphql(`
  query Together($userIds: [ID!]!, $first: Int!) {
    together(userIds: $userIds, first: $first) {
      ...RecommendationFields
    }
  }
`);

export const TogetherWithMoodDocument = graphql(`
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
`);

export const OnboardingDocument = graphql(`
  query Onboarding($first: Int!) {
    onboarding(first: $first) {
      ...RecommendationFields
    }
  }
`);

// ---------------------------------------------------------------- film state

export const RateMovieDocument = graphql(`
  mutation RateMovie($movieId: ID!, $value: Float!, $zone: Zone) {
    rateMovie(movieId: $movieId, value: $value, zone: $zone) {
      movieId
      value
      ratedAt
    }
  }
`);

export const ClearRatingDocument = graphql(`
  mutation ClearRating($movieId: ID!, $zone: Zone) {
    clearRating(movieId: $movieId, zone: $zone)
  }
`);

export const AddFavoriteDocument = graphql(`
  mutation AddFavorite($movieId: ID!, $zone: Zone) {
    addFavorite(movieId: $movieId, zone: $zone)
  }
`);

export const RemoveFavoriteDocument = graphql(`
  mutation RemoveFavorite($movieId: ID!, $zone: Zone) {
    removeFavorite(movieId: $movieId, zone: $zone)
  }
`);

export const AddToWatchlistDocument = graphql(`
  mutation AddToWatchlist($movieId: ID!, $zone: Zone) {
    addToWatchlist(movieId: $movieId, zone: $zone)
  }
`);

export const RemoveFromWatchlistDocument = graphql(`
  mutation RemoveFromWatchlist($movieId: ID!, $zone: Zone) {
    removeFromWatchlist(movieId: $movieId, zone: $zone)
  }
`);

export const DismissMovieDocument = graphql(`
  mutation DismissMovie($movieId: ID!, $zone: Zone) {
    dismissMovie(movieId: $movieId, zone: $zone)
  }
`);

export const UndismissMovieDocument = graphql(`
  mutation UndismissMovie($movieId: ID!, $zone: Zone) {
    undismissMovie(movieId: $movieId, zone: $zone)
  }
`);

export const MarkWatchedDocument = graphql(`
  mutation MarkWatched($movieId: ID!, $zone: Zone) {
    markWatched(movieId: $movieId, zone: $zone)
  }
`);

export const OpenMovieDocument = graphql(`
  mutation OpenMovie($movieId: ID!, $zone: Zone) {
    openMovie(movieId: $movieId, zone: $zone)
  }
`);

// ---------------------------------------------------------------- comments

export const AddCommentDocument = graphql(`
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
`);

export const EditCommentDocument = graphql(`
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
`);

export const DeleteCommentDocument = graphql(`
  mutation DeleteComment($id: ID!) {
    deleteComment(id: $id)
  }
`);

// ---------------------------------------------------------------- partners

export const CreateInviteDocument = graphql(`
  mutation CreateInvite($idempotencyKey: String) {
    createInvite(idempotencyKey: $idempotencyKey) {
      code
      expiresAt
    }
  }
`);

export const AcceptInviteDocument = graphql(`
  mutation AcceptInvite($code: String!) {
    acceptInvite(code: $code) {
      linkedAt
      user {
        id
        username
      }
    }
  }
`);

export const UnlinkPartnerDocument = graphql(`
  mutation UnlinkPartner($userId: ID!) {
    unlinkPartner(userId: $userId)
  }
`);

// ---------------------------------------------------------------- account

/** Ends every session of the user (refresh tokens revoked): the Account page logs in again after it. */
export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export const DeleteAccountDocument = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);

// ------------------------------------------------------------ Tonight (routes/Tonight.tsx, Evening.tsx, Join.tsx)

export const EveningFields = graphql(`
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
`);

export const StartEveningDocument = graphql(`
  mutation StartEvening($mood: String) {
    startEvening(mood: $mood) {
      ...EveningFields
    }
  }
`);

export const EveningDocument = graphql(`
  query Evening($id: ID!) {
    evening(id: $id) {
      ...EveningFields
    }
  }
`);

export const EveningUpdatesDocument = graphql(`
  subscription EveningUpdates($id: ID!) {
    evening(id: $id) {
      ...EveningFields
    }
  }
`);

export const EveningInviteDocument = graphql(`
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
`);

export const JoinEveningDocument = graphql(`
  mutation JoinEvening($token: String!) {
    joinEvening(token: $token) {
      ...EveningFields
    }
  }
`);

export const JoinEveningAsGuestDocument = graphql(`
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
`);

export const VoteOnPickDocument = graphql(`
  mutation VoteOnPick($eveningId: ID!, $movieId: ID!, $vote: EveningVote) {
    voteOnPick(eveningId: $eveningId, movieId: $movieId, vote: $vote) {
      ...EveningFields
    }
  }
`);

export const GuestRateDocument = graphql(`
  mutation GuestRate($movieId: ID!, $value: Float!) {
    rateMovie(movieId: $movieId, value: $value, zone: TOGETHER) {
      value
    }
  }
`);

export const GuestOnboardingDocument = graphql(`
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
`);

// History import (routes/Import.tsx). PreviewImport goes as a multipart upload to /graphql/upload
// (lib/importUpload.ts); ConfirmImport through the ordinary client.
export const PreviewImportDocument = graphql(`
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
`);

export const ConfirmImportDocument = graphql(`
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
`);
