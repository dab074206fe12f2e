/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    runtime\n    voteAverage\n    rating\n    voteCount\n    popularityPercentile\n  }\n": typeof types.MovieCardFieldsFragmentDoc,
    "\n  fragment RecommendationFields on Recommendation {\n    zone\n    score\n    modelVersion\n    movie {\n      ...MovieCardFields\n    }\n    reasons {\n      kind\n      text\n      weight\n      people\n      genres\n      movies {\n        id\n        title\n      }\n      users {\n        id\n        username\n      }\n    }\n    fits {\n      score\n      tasteKnown\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.RecommendationFieldsFragmentDoc,
    "\n  fragment GemCeilingStepFields on GemCeilingStep {\n    percentile\n    maxVotes\n    text\n  }\n": typeof types.GemCeilingStepFieldsFragmentDoc,
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      partners {\n        linkedAt\n        user {\n          id\n          username\n        }\n      }\n      state {\n        ratings {\n          movieId\n          value\n          ratedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        favoriteIds\n        watchlistIds\n        watchlist {\n          movieId\n          addedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        watchedIds\n        dismissedIds\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Movie($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n      originalTitle\n      releaseDate\n      overview\n      tagline\n      keywords\n      originalLanguage\n      popularity\n      directors {\n        id\n        name\n      }\n      cast {\n        id\n        name\n      }\n      companies\n      countries\n    }\n  }\n": typeof types.MovieDocument,
    "\n  query MovieCard($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n": typeof types.MovieCardDocument,
    "\n  query Comments($movieId: ID!, $first: Int!, $after: String) {\n    movie(id: $movieId) {\n      id\n      comments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          body\n          createdAt\n          editedAt\n          movieId\n          author {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": typeof types.CommentsDocument,
    "\n  query SearchMovies($query: String!, $filter: MovieFilter, $sort: MovieSort, $first: Int!, $after: String) {\n    searchMovies(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...MovieCardFields\n        }\n        matchedPerson {\n          role\n          person {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.SearchMoviesDocument,
    "\n  query Person($id: ID!, $sort: CreditSort) {\n    person(id: $id, sort: $sort) {\n      person {\n        id\n        name\n      }\n      directed {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n      acted {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n": typeof types.PersonDocument,
    "\n  query Suggest($query: String!, $first: Int) {\n    suggest(query: $query, first: $first) {\n      movies {\n        id\n        title\n        year\n      }\n      people {\n        person {\n          id\n          name\n        }\n        filmCount\n        knownFor {\n          role\n          movie {\n            id\n            title\n            year\n          }\n        }\n      }\n    }\n  }\n": typeof types.SuggestDocument,
    "\n  query Genres {\n    genres {\n      name\n      movieCount\n    }\n  }\n": typeof types.GenresDocument,
    "\n  query ForYou($first: Int!) {\n    forYou(first: $first) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.ForYouDocument,
    "\n  query HiddenGems($movieId: ID, $first: Int!, $maxPopularityPercentile: Float) {\n    hiddenGems(movieId: $movieId, first: $first, maxPopularityPercentile: $maxPopularityPercentile) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.HiddenGemsDocument,
    "\n  query GemCeilingScale {\n    gemCeilingScale {\n      min {\n        ...GemCeilingStepFields\n      }\n      max {\n        ...GemCeilingStepFields\n      }\n      default {\n        ...GemCeilingStepFields\n      }\n      steps {\n        ...GemCeilingStepFields\n      }\n      yours {\n        ...GemCeilingStepFields\n      }\n      trustedMinVotes\n      goodMinAverage\n    }\n  }\n": typeof types.GemCeilingScaleDocument,
    "\n  query Similar($movieId: ID!, $first: Int!, $weights: AxisWeights) {\n    similar(movieId: $movieId, first: $first, weights: $weights) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.SimilarDocument,
    "\n  query Vibe($text: String!, $first: Int!) {\n    vibe(text: $text, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n": typeof types.VibeDocument,
    "\n  query Together($userIds: [ID!]!, $first: Int!) {\n    together(userIds: $userIds, first: $first) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.TogetherDocument,
    "\n  query TogetherWithMood($userIds: [ID!]!, $vibe: String!, $first: Int!) {\n    togetherWithMood(userIds: $userIds, vibe: $vibe, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n": typeof types.TogetherWithMoodDocument,
    "\n  query Onboarding($first: Int!) {\n    onboarding(first: $first) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.OnboardingDocument,
    "\n  mutation RateMovie($movieId: ID!, $value: Float!, $zone: Zone) {\n    rateMovie(movieId: $movieId, value: $value, zone: $zone) {\n      movieId\n      value\n      ratedAt\n    }\n  }\n": typeof types.RateMovieDocument,
    "\n  mutation ClearRating($movieId: ID!, $zone: Zone) {\n    clearRating(movieId: $movieId, zone: $zone)\n  }\n": typeof types.ClearRatingDocument,
    "\n  mutation AddFavorite($movieId: ID!, $zone: Zone) {\n    addFavorite(movieId: $movieId, zone: $zone)\n  }\n": typeof types.AddFavoriteDocument,
    "\n  mutation RemoveFavorite($movieId: ID!, $zone: Zone) {\n    removeFavorite(movieId: $movieId, zone: $zone)\n  }\n": typeof types.RemoveFavoriteDocument,
    "\n  mutation AddToWatchlist($movieId: ID!, $zone: Zone) {\n    addToWatchlist(movieId: $movieId, zone: $zone)\n  }\n": typeof types.AddToWatchlistDocument,
    "\n  mutation RemoveFromWatchlist($movieId: ID!, $zone: Zone) {\n    removeFromWatchlist(movieId: $movieId, zone: $zone)\n  }\n": typeof types.RemoveFromWatchlistDocument,
    "\n  mutation DismissMovie($movieId: ID!, $zone: Zone) {\n    dismissMovie(movieId: $movieId, zone: $zone)\n  }\n": typeof types.DismissMovieDocument,
    "\n  mutation UndismissMovie($movieId: ID!, $zone: Zone) {\n    undismissMovie(movieId: $movieId, zone: $zone)\n  }\n": typeof types.UndismissMovieDocument,
    "\n  mutation MarkWatched($movieId: ID!, $zone: Zone) {\n    markWatched(movieId: $movieId, zone: $zone)\n  }\n": typeof types.MarkWatchedDocument,
    "\n  mutation OpenMovie($movieId: ID!, $zone: Zone) {\n    openMovie(movieId: $movieId, zone: $zone)\n  }\n": typeof types.OpenMovieDocument,
    "\n  mutation AddComment($movieId: ID!, $body: String!, $idempotencyKey: String) {\n    addComment(movieId: $movieId, body: $body, idempotencyKey: $idempotencyKey) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n": typeof types.AddCommentDocument,
    "\n  mutation EditComment($id: ID!, $body: String!) {\n    editComment(id: $id, body: $body) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n": typeof types.EditCommentDocument,
    "\n  mutation DeleteComment($id: ID!) {\n    deleteComment(id: $id)\n  }\n": typeof types.DeleteCommentDocument,
    "\n  mutation CreateInvite($idempotencyKey: String) {\n    createInvite(idempotencyKey: $idempotencyKey) {\n      code\n      expiresAt\n    }\n  }\n": typeof types.CreateInviteDocument,
    "\n  mutation AcceptInvite($code: String!) {\n    acceptInvite(code: $code) {\n      linkedAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": typeof types.AcceptInviteDocument,
    "\n  mutation UnlinkPartner($userId: ID!) {\n    unlinkPartner(userId: $userId)\n  }\n": typeof types.UnlinkPartnerDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  fragment EveningFields on Evening {\n    id\n    version\n    mood\n    joinPath\n    expiresAt\n    members {\n      name\n      guest\n      host\n      user {\n        id\n      }\n    }\n    me {\n      name\n      user {\n        id\n      }\n    }\n    picks(first: 12) {\n      match\n      myVote\n      votes {\n        vote\n        member {\n          name\n          user {\n            id\n          }\n        }\n      }\n      recommendation {\n        ...RecommendationFields\n      }\n    }\n  }\n": typeof types.EveningFieldsFragmentDoc,
    "\n  mutation StartEvening($mood: String) {\n    startEvening(mood: $mood) {\n      ...EveningFields\n    }\n  }\n": typeof types.StartEveningDocument,
    "\n  query Evening($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n": typeof types.EveningDocument,
    "\n  subscription EveningUpdates($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n": typeof types.EveningUpdatesDocument,
    "\n  query EveningInvite($token: String!) {\n    eveningInvite(token: $token) {\n      eveningId\n      hostName\n      mood\n      memberCount\n      maxMembers\n      expiresAt\n    }\n  }\n": typeof types.EveningInviteDocument,
    "\n  mutation JoinEvening($token: String!) {\n    joinEvening(token: $token) {\n      ...EveningFields\n    }\n  }\n": typeof types.JoinEveningDocument,
    "\n  mutation JoinEveningAsGuest($token: String!, $name: String!) {\n    joinEveningAsGuest(token: $token, name: $name) {\n      accessToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n      evening {\n        id\n      }\n    }\n  }\n": typeof types.JoinEveningAsGuestDocument,
    "\n  mutation VoteOnPick($eveningId: ID!, $movieId: ID!, $vote: EveningVote) {\n    voteOnPick(eveningId: $eveningId, movieId: $movieId, vote: $vote) {\n      ...EveningFields\n    }\n  }\n": typeof types.VoteOnPickDocument,
    "\n  mutation GuestRate($movieId: ID!, $value: Float!) {\n    rateMovie(movieId: $movieId, value: $value, zone: TOGETHER) {\n      value\n    }\n  }\n": typeof types.GuestRateDocument,
    "\n  query GuestOnboarding($first: Int!) {\n    onboarding(first: $first) {\n      movie {\n        id\n        title\n        year\n        genres\n      }\n    }\n  }\n": typeof types.GuestOnboardingDocument,
    "\n  mutation PreviewImport($file: Upload!) {\n    previewImport(file: $file) {\n      id\n      source\n      fileName\n      expiresAt\n      counts {\n        rows\n        matched\n        notInCatalogue\n        ambiguous\n        notAFilm\n        badRows\n        ratingsNew\n        ratingsChanged\n        watchedNew\n        watchlistNew\n        unchanged\n      }\n      rows {\n        file\n        line\n        action\n        title\n        year\n        imdbId\n        rating\n        status\n        reason\n        change\n        currentRating\n        movieId\n        movie {\n          id\n          title\n          year\n        }\n        candidates {\n          id\n          title\n          year\n        }\n      }\n    }\n  }\n": typeof types.PreviewImportDocument,
    "\n  mutation ConfirmImport($previewId: ID!) {\n    confirmImport(previewId: $previewId) {\n      previewId\n      ratingsWritten\n      watchedWritten\n      watchlistWritten\n      unchanged\n      alreadyConfirmed\n      confirmedAt\n    }\n  }\n": typeof types.ConfirmImportDocument,
};
const documents: Documents = {
    "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    runtime\n    voteAverage\n    rating\n    voteCount\n    popularityPercentile\n  }\n": types.MovieCardFieldsFragmentDoc,
    "\n  fragment RecommendationFields on Recommendation {\n    zone\n    score\n    modelVersion\n    movie {\n      ...MovieCardFields\n    }\n    reasons {\n      kind\n      text\n      weight\n      people\n      genres\n      movies {\n        id\n        title\n      }\n      users {\n        id\n        username\n      }\n    }\n    fits {\n      score\n      tasteKnown\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.RecommendationFieldsFragmentDoc,
    "\n  fragment GemCeilingStepFields on GemCeilingStep {\n    percentile\n    maxVotes\n    text\n  }\n": types.GemCeilingStepFieldsFragmentDoc,
    "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      partners {\n        linkedAt\n        user {\n          id\n          username\n        }\n      }\n      state {\n        ratings {\n          movieId\n          value\n          ratedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        favoriteIds\n        watchlistIds\n        watchlist {\n          movieId\n          addedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        watchedIds\n        dismissedIds\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query Movie($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n      originalTitle\n      releaseDate\n      overview\n      tagline\n      keywords\n      originalLanguage\n      popularity\n      directors {\n        id\n        name\n      }\n      cast {\n        id\n        name\n      }\n      companies\n      countries\n    }\n  }\n": types.MovieDocument,
    "\n  query MovieCard($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n": types.MovieCardDocument,
    "\n  query Comments($movieId: ID!, $first: Int!, $after: String) {\n    movie(id: $movieId) {\n      id\n      comments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          body\n          createdAt\n          editedAt\n          movieId\n          author {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n": types.CommentsDocument,
    "\n  query SearchMovies($query: String!, $filter: MovieFilter, $sort: MovieSort, $first: Int!, $after: String) {\n    searchMovies(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...MovieCardFields\n        }\n        matchedPerson {\n          role\n          person {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.SearchMoviesDocument,
    "\n  query Person($id: ID!, $sort: CreditSort) {\n    person(id: $id, sort: $sort) {\n      person {\n        id\n        name\n      }\n      directed {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n      acted {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n": types.PersonDocument,
    "\n  query Suggest($query: String!, $first: Int) {\n    suggest(query: $query, first: $first) {\n      movies {\n        id\n        title\n        year\n      }\n      people {\n        person {\n          id\n          name\n        }\n        filmCount\n        knownFor {\n          role\n          movie {\n            id\n            title\n            year\n          }\n        }\n      }\n    }\n  }\n": types.SuggestDocument,
    "\n  query Genres {\n    genres {\n      name\n      movieCount\n    }\n  }\n": types.GenresDocument,
    "\n  query ForYou($first: Int!) {\n    forYou(first: $first) {\n      ...RecommendationFields\n    }\n  }\n": types.ForYouDocument,
    "\n  query HiddenGems($movieId: ID, $first: Int!, $maxPopularityPercentile: Float) {\n    hiddenGems(movieId: $movieId, first: $first, maxPopularityPercentile: $maxPopularityPercentile) {\n      ...RecommendationFields\n    }\n  }\n": types.HiddenGemsDocument,
    "\n  query GemCeilingScale {\n    gemCeilingScale {\n      min {\n        ...GemCeilingStepFields\n      }\n      max {\n        ...GemCeilingStepFields\n      }\n      default {\n        ...GemCeilingStepFields\n      }\n      steps {\n        ...GemCeilingStepFields\n      }\n      yours {\n        ...GemCeilingStepFields\n      }\n      trustedMinVotes\n      goodMinAverage\n    }\n  }\n": types.GemCeilingScaleDocument,
    "\n  query Similar($movieId: ID!, $first: Int!, $weights: AxisWeights) {\n    similar(movieId: $movieId, first: $first, weights: $weights) {\n      ...RecommendationFields\n    }\n  }\n": types.SimilarDocument,
    "\n  query Vibe($text: String!, $first: Int!) {\n    vibe(text: $text, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n": types.VibeDocument,
    "\n  query Together($userIds: [ID!]!, $first: Int!) {\n    together(userIds: $userIds, first: $first) {\n      ...RecommendationFields\n    }\n  }\n": types.TogetherDocument,
    "\n  query TogetherWithMood($userIds: [ID!]!, $vibe: String!, $first: Int!) {\n    togetherWithMood(userIds: $userIds, vibe: $vibe, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n": types.TogetherWithMoodDocument,
    "\n  query Onboarding($first: Int!) {\n    onboarding(first: $first) {\n      ...RecommendationFields\n    }\n  }\n": types.OnboardingDocument,
    "\n  mutation RateMovie($movieId: ID!, $value: Float!, $zone: Zone) {\n    rateMovie(movieId: $movieId, value: $value, zone: $zone) {\n      movieId\n      value\n      ratedAt\n    }\n  }\n": types.RateMovieDocument,
    "\n  mutation ClearRating($movieId: ID!, $zone: Zone) {\n    clearRating(movieId: $movieId, zone: $zone)\n  }\n": types.ClearRatingDocument,
    "\n  mutation AddFavorite($movieId: ID!, $zone: Zone) {\n    addFavorite(movieId: $movieId, zone: $zone)\n  }\n": types.AddFavoriteDocument,
    "\n  mutation RemoveFavorite($movieId: ID!, $zone: Zone) {\n    removeFavorite(movieId: $movieId, zone: $zone)\n  }\n": types.RemoveFavoriteDocument,
    "\n  mutation AddToWatchlist($movieId: ID!, $zone: Zone) {\n    addToWatchlist(movieId: $movieId, zone: $zone)\n  }\n": types.AddToWatchlistDocument,
    "\n  mutation RemoveFromWatchlist($movieId: ID!, $zone: Zone) {\n    removeFromWatchlist(movieId: $movieId, zone: $zone)\n  }\n": types.RemoveFromWatchlistDocument,
    "\n  mutation DismissMovie($movieId: ID!, $zone: Zone) {\n    dismissMovie(movieId: $movieId, zone: $zone)\n  }\n": types.DismissMovieDocument,
    "\n  mutation UndismissMovie($movieId: ID!, $zone: Zone) {\n    undismissMovie(movieId: $movieId, zone: $zone)\n  }\n": types.UndismissMovieDocument,
    "\n  mutation MarkWatched($movieId: ID!, $zone: Zone) {\n    markWatched(movieId: $movieId, zone: $zone)\n  }\n": types.MarkWatchedDocument,
    "\n  mutation OpenMovie($movieId: ID!, $zone: Zone) {\n    openMovie(movieId: $movieId, zone: $zone)\n  }\n": types.OpenMovieDocument,
    "\n  mutation AddComment($movieId: ID!, $body: String!, $idempotencyKey: String) {\n    addComment(movieId: $movieId, body: $body, idempotencyKey: $idempotencyKey) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n": types.AddCommentDocument,
    "\n  mutation EditComment($id: ID!, $body: String!) {\n    editComment(id: $id, body: $body) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n": types.EditCommentDocument,
    "\n  mutation DeleteComment($id: ID!) {\n    deleteComment(id: $id)\n  }\n": types.DeleteCommentDocument,
    "\n  mutation CreateInvite($idempotencyKey: String) {\n    createInvite(idempotencyKey: $idempotencyKey) {\n      code\n      expiresAt\n    }\n  }\n": types.CreateInviteDocument,
    "\n  mutation AcceptInvite($code: String!) {\n    acceptInvite(code: $code) {\n      linkedAt\n      user {\n        id\n        username\n      }\n    }\n  }\n": types.AcceptInviteDocument,
    "\n  mutation UnlinkPartner($userId: ID!) {\n    unlinkPartner(userId: $userId)\n  }\n": types.UnlinkPartnerDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": types.DeleteAccountDocument,
    "\n  fragment EveningFields on Evening {\n    id\n    version\n    mood\n    joinPath\n    expiresAt\n    members {\n      name\n      guest\n      host\n      user {\n        id\n      }\n    }\n    me {\n      name\n      user {\n        id\n      }\n    }\n    picks(first: 12) {\n      match\n      myVote\n      votes {\n        vote\n        member {\n          name\n          user {\n            id\n          }\n        }\n      }\n      recommendation {\n        ...RecommendationFields\n      }\n    }\n  }\n": types.EveningFieldsFragmentDoc,
    "\n  mutation StartEvening($mood: String) {\n    startEvening(mood: $mood) {\n      ...EveningFields\n    }\n  }\n": types.StartEveningDocument,
    "\n  query Evening($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n": types.EveningDocument,
    "\n  subscription EveningUpdates($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n": types.EveningUpdatesDocument,
    "\n  query EveningInvite($token: String!) {\n    eveningInvite(token: $token) {\n      eveningId\n      hostName\n      mood\n      memberCount\n      maxMembers\n      expiresAt\n    }\n  }\n": types.EveningInviteDocument,
    "\n  mutation JoinEvening($token: String!) {\n    joinEvening(token: $token) {\n      ...EveningFields\n    }\n  }\n": types.JoinEveningDocument,
    "\n  mutation JoinEveningAsGuest($token: String!, $name: String!) {\n    joinEveningAsGuest(token: $token, name: $name) {\n      accessToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n      evening {\n        id\n      }\n    }\n  }\n": types.JoinEveningAsGuestDocument,
    "\n  mutation VoteOnPick($eveningId: ID!, $movieId: ID!, $vote: EveningVote) {\n    voteOnPick(eveningId: $eveningId, movieId: $movieId, vote: $vote) {\n      ...EveningFields\n    }\n  }\n": types.VoteOnPickDocument,
    "\n  mutation GuestRate($movieId: ID!, $value: Float!) {\n    rateMovie(movieId: $movieId, value: $value, zone: TOGETHER) {\n      value\n    }\n  }\n": types.GuestRateDocument,
    "\n  query GuestOnboarding($first: Int!) {\n    onboarding(first: $first) {\n      movie {\n        id\n        title\n        year\n        genres\n      }\n    }\n  }\n": types.GuestOnboardingDocument,
    "\n  mutation PreviewImport($file: Upload!) {\n    previewImport(file: $file) {\n      id\n      source\n      fileName\n      expiresAt\n      counts {\n        rows\n        matched\n        notInCatalogue\n        ambiguous\n        notAFilm\n        badRows\n        ratingsNew\n        ratingsChanged\n        watchedNew\n        watchlistNew\n        unchanged\n      }\n      rows {\n        file\n        line\n        action\n        title\n        year\n        imdbId\n        rating\n        status\n        reason\n        change\n        currentRating\n        movieId\n        movie {\n          id\n          title\n          year\n        }\n        candidates {\n          id\n          title\n          year\n        }\n      }\n    }\n  }\n": types.PreviewImportDocument,
    "\n  mutation ConfirmImport($previewId: ID!) {\n    confirmImport(previewId: $previewId) {\n      previewId\n      ratingsWritten\n      watchedWritten\n      watchlistWritten\n      unchanged\n      alreadyConfirmed\n      confirmedAt\n    }\n  }\n": types.ConfirmImportDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MovieCardFields on Movie {\n    id\n    title\n    year\n    genres\n    runtime\n    voteAverage\n    rating\n    voteCount\n    popularityPercentile\n  }\n"): typeof import('./graphql').MovieCardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecommendationFields on Recommendation {\n    zone\n    score\n    modelVersion\n    movie {\n      ...MovieCardFields\n    }\n    reasons {\n      kind\n      text\n      weight\n      people\n      genres\n      movies {\n        id\n        title\n      }\n      users {\n        id\n        username\n      }\n    }\n    fits {\n      score\n      tasteKnown\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').RecommendationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GemCeilingStepFields on GemCeilingStep {\n    percentile\n    maxVotes\n    text\n  }\n"): typeof import('./graphql').GemCeilingStepFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($username: String!, $password: String!) {\n    register(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').RegisterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').RefreshTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      partners {\n        linkedAt\n        user {\n          id\n          username\n        }\n      }\n      state {\n        ratings {\n          movieId\n          value\n          ratedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        favoriteIds\n        watchlistIds\n        watchlist {\n          movieId\n          addedAt\n          movie {\n            ...MovieCardFields\n          }\n        }\n        watchedIds\n        dismissedIds\n      }\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Movie($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n      originalTitle\n      releaseDate\n      overview\n      tagline\n      keywords\n      originalLanguage\n      popularity\n      directors {\n        id\n        name\n      }\n      cast {\n        id\n        name\n      }\n      companies\n      countries\n    }\n  }\n"): typeof import('./graphql').MovieDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MovieCard($id: ID!) {\n    movie(id: $id) {\n      ...MovieCardFields\n    }\n  }\n"): typeof import('./graphql').MovieCardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Comments($movieId: ID!, $first: Int!, $after: String) {\n    movie(id: $movieId) {\n      id\n      comments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          body\n          createdAt\n          editedAt\n          movieId\n          author {\n            id\n            username\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CommentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchMovies($query: String!, $filter: MovieFilter, $sort: MovieSort, $first: Int!, $after: String) {\n    searchMovies(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...MovieCardFields\n        }\n        matchedPerson {\n          role\n          person {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SearchMoviesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Person($id: ID!, $sort: CreditSort) {\n    person(id: $id, sort: $sort) {\n      person {\n        id\n        name\n      }\n      directed {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n      acted {\n        role\n        billing\n        movie {\n          ...MovieCardFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PersonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Suggest($query: String!, $first: Int) {\n    suggest(query: $query, first: $first) {\n      movies {\n        id\n        title\n        year\n      }\n      people {\n        person {\n          id\n          name\n        }\n        filmCount\n        knownFor {\n          role\n          movie {\n            id\n            title\n            year\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SuggestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Genres {\n    genres {\n      name\n      movieCount\n    }\n  }\n"): typeof import('./graphql').GenresDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ForYou($first: Int!) {\n    forYou(first: $first) {\n      ...RecommendationFields\n    }\n  }\n"): typeof import('./graphql').ForYouDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HiddenGems($movieId: ID, $first: Int!, $maxPopularityPercentile: Float) {\n    hiddenGems(movieId: $movieId, first: $first, maxPopularityPercentile: $maxPopularityPercentile) {\n      ...RecommendationFields\n    }\n  }\n"): typeof import('./graphql').HiddenGemsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GemCeilingScale {\n    gemCeilingScale {\n      min {\n        ...GemCeilingStepFields\n      }\n      max {\n        ...GemCeilingStepFields\n      }\n      default {\n        ...GemCeilingStepFields\n      }\n      steps {\n        ...GemCeilingStepFields\n      }\n      yours {\n        ...GemCeilingStepFields\n      }\n      trustedMinVotes\n      goodMinAverage\n    }\n  }\n"): typeof import('./graphql').GemCeilingScaleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Similar($movieId: ID!, $first: Int!, $weights: AxisWeights) {\n    similar(movieId: $movieId, first: $first, weights: $weights) {\n      ...RecommendationFields\n    }\n  }\n"): typeof import('./graphql').SimilarDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Vibe($text: String!, $first: Int!) {\n    vibe(text: $text, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n"): typeof import('./graphql').VibeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Together($userIds: [ID!]!, $first: Int!) {\n    together(userIds: $userIds, first: $first) {\n      ...RecommendationFields\n    }\n  }\n"): typeof import('./graphql').TogetherDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TogetherWithMood($userIds: [ID!]!, $vibe: String!, $first: Int!) {\n    togetherWithMood(userIds: $userIds, vibe: $vibe, first: $first) {\n      picks {\n        ...RecommendationFields\n      }\n      reading {\n        confident\n        message\n        suggestions\n        genres\n        avoidGenres\n        avoidTopics\n      }\n    }\n  }\n"): typeof import('./graphql').TogetherWithMoodDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Onboarding($first: Int!) {\n    onboarding(first: $first) {\n      ...RecommendationFields\n    }\n  }\n"): typeof import('./graphql').OnboardingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateMovie($movieId: ID!, $value: Float!, $zone: Zone) {\n    rateMovie(movieId: $movieId, value: $value, zone: $zone) {\n      movieId\n      value\n      ratedAt\n    }\n  }\n"): typeof import('./graphql').RateMovieDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearRating($movieId: ID!, $zone: Zone) {\n    clearRating(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').ClearRatingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddFavorite($movieId: ID!, $zone: Zone) {\n    addFavorite(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').AddFavoriteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFavorite($movieId: ID!, $zone: Zone) {\n    removeFavorite(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').RemoveFavoriteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToWatchlist($movieId: ID!, $zone: Zone) {\n    addToWatchlist(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').AddToWatchlistDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromWatchlist($movieId: ID!, $zone: Zone) {\n    removeFromWatchlist(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').RemoveFromWatchlistDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DismissMovie($movieId: ID!, $zone: Zone) {\n    dismissMovie(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').DismissMovieDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UndismissMovie($movieId: ID!, $zone: Zone) {\n    undismissMovie(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').UndismissMovieDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkWatched($movieId: ID!, $zone: Zone) {\n    markWatched(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').MarkWatchedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenMovie($movieId: ID!, $zone: Zone) {\n    openMovie(movieId: $movieId, zone: $zone)\n  }\n"): typeof import('./graphql').OpenMovieDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($movieId: ID!, $body: String!, $idempotencyKey: String) {\n    addComment(movieId: $movieId, body: $body, idempotencyKey: $idempotencyKey) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').AddCommentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditComment($id: ID!, $body: String!) {\n    editComment(id: $id, body: $body) {\n      id\n      body\n      createdAt\n      editedAt\n      movieId\n      author {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').EditCommentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteComment($id: ID!) {\n    deleteComment(id: $id)\n  }\n"): typeof import('./graphql').DeleteCommentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInvite($idempotencyKey: String) {\n    createInvite(idempotencyKey: $idempotencyKey) {\n      code\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').CreateInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvite($code: String!) {\n    acceptInvite(code: $code) {\n      linkedAt\n      user {\n        id\n        username\n      }\n    }\n  }\n"): typeof import('./graphql').AcceptInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlinkPartner($userId: ID!) {\n    unlinkPartner(userId: $userId)\n  }\n"): typeof import('./graphql').UnlinkPartnerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n"): typeof import('./graphql').DeleteAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EveningFields on Evening {\n    id\n    version\n    mood\n    joinPath\n    expiresAt\n    members {\n      name\n      guest\n      host\n      user {\n        id\n      }\n    }\n    me {\n      name\n      user {\n        id\n      }\n    }\n    picks(first: 12) {\n      match\n      myVote\n      votes {\n        vote\n        member {\n          name\n          user {\n            id\n          }\n        }\n      }\n      recommendation {\n        ...RecommendationFields\n      }\n    }\n  }\n"): typeof import('./graphql').EveningFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartEvening($mood: String) {\n    startEvening(mood: $mood) {\n      ...EveningFields\n    }\n  }\n"): typeof import('./graphql').StartEveningDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Evening($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n"): typeof import('./graphql').EveningDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EveningUpdates($id: ID!) {\n    evening(id: $id) {\n      ...EveningFields\n    }\n  }\n"): typeof import('./graphql').EveningUpdatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EveningInvite($token: String!) {\n    eveningInvite(token: $token) {\n      eveningId\n      hostName\n      mood\n      memberCount\n      maxMembers\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').EveningInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinEvening($token: String!) {\n    joinEvening(token: $token) {\n      ...EveningFields\n    }\n  }\n"): typeof import('./graphql').JoinEveningDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation JoinEveningAsGuest($token: String!, $name: String!) {\n    joinEveningAsGuest(token: $token, name: $name) {\n      accessToken\n      accessTokenExpiresAt\n      user {\n        id\n        username\n      }\n      evening {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').JoinEveningAsGuestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VoteOnPick($eveningId: ID!, $movieId: ID!, $vote: EveningVote) {\n    voteOnPick(eveningId: $eveningId, movieId: $movieId, vote: $vote) {\n      ...EveningFields\n    }\n  }\n"): typeof import('./graphql').VoteOnPickDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GuestRate($movieId: ID!, $value: Float!) {\n    rateMovie(movieId: $movieId, value: $value, zone: TOGETHER) {\n      value\n    }\n  }\n"): typeof import('./graphql').GuestRateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestOnboarding($first: Int!) {\n    onboarding(first: $first) {\n      movie {\n        id\n        title\n        year\n        genres\n      }\n    }\n  }\n"): typeof import('./graphql').GuestOnboardingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PreviewImport($file: Upload!) {\n    previewImport(file: $file) {\n      id\n      source\n      fileName\n      expiresAt\n      counts {\n        rows\n        matched\n        notInCatalogue\n        ambiguous\n        notAFilm\n        badRows\n        ratingsNew\n        ratingsChanged\n        watchedNew\n        watchlistNew\n        unchanged\n      }\n      rows {\n        file\n        line\n        action\n        title\n        year\n        imdbId\n        rating\n        status\n        reason\n        change\n        currentRating\n        movieId\n        movie {\n          id\n          title\n          year\n        }\n        candidates {\n          id\n          title\n          year\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PreviewImportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmImport($previewId: ID!) {\n    confirmImport(previewId: $previewId) {\n      previewId\n      ratingsWritten\n      watchedWritten\n      watchlistWritten\n      unchanged\n      alreadyConfirmed\n      confirmedAt\n    }\n  }\n"): typeof import('./graphql').ConfirmImportDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
