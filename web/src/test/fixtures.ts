import type { GemCeilingScale } from '../lib/gemCeiling';
import type { Me } from '../lib/userState';

const step = (percentile: number, maxVotes: number) => ({ percentile, maxVotes, text: `at most ${maxVotes} votes` });

/** gemCeilingScale as the stack answers it (35-90, default 75, 5 points apart; a user who has not moved theirs). */
export const GEM_SCALE: GemCeilingScale = {
  min: step(35, 60),
  max: step(90, 2500),
  default: step(75, 830),
  yours: step(75, 830),
  steps: [35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90].map((p, i) => step(p, [60, 220, 250, 290, 340, 410, 500, 630, 830, 1100, 1550, 2500][i] ?? 0)),
  trustedMinVotes: 50,
  goodMinAverage: 6.5,
};

export const movie = (id: string, title: string) => ({
  id,
  title,
  year: 1995,
  genres: ['Crime'],
  runtime: 170,
  voteAverage: 7.9,
  rating: 7.8,
  voteCount: 4000,
  popularityPercentile: 90,
});

export const ME: Me = {
  id: '7',
  username: 'ana',
  partners: [{ linkedAt: '2024-01-01T00:00:00Z', user: { id: '8', username: 'ben' } }],
  state: { ratings: [], favoriteIds: [], watchlistIds: [], watchlist: [], watchedIds: [], dismissedIds: [] },
};

/** A vibe reading the API gives for a text it cannot read (Vibe and Together with a mood). */
export const NOT_READ = {
  confident: false,
  message: 'We could not find a mood in that. Most of its words are not ones films are described with.',
  suggestions: ['a tense heist thriller, not too long', 'a heartwarming dog movie, nothing scary'],
  genres: [],
  avoidGenres: [],
  avoidTopics: [],
};
