import { describe, expect, it } from 'vitest';
import { applyAction, forYouDescription, lastFavourite, type UserState } from './userState';

const empty: UserState = { ratings: [], favoriteIds: [], watchlistIds: [], watchlist: [], watchedIds: [], dismissedIds: [] };

describe('applyAction', () => {
  it('adds and replaces a rating', () => {
    let s = applyAction(empty, { kind: 'rate', movieId: '1', value: 3, at: 't1' });
    s = applyAction(s, { kind: 'rate', movieId: '1', value: 4.5, at: 't2' });
    expect(s.ratings).toEqual([{ movieId: '1', value: 4.5, ratedAt: 't2', movie: null }]);
    expect(applyAction(s, { kind: 'clearRating', movieId: '1' }).ratings).toEqual([]);
  });

  it('toggles lists without duplicates and leaves the input alone', () => {
    const s = applyAction(applyAction(empty, { kind: 'favorite', movieId: '2', on: true }), { kind: 'favorite', movieId: '2', on: true });
    expect(s.favoriteIds).toEqual(['2']);
    expect(empty.favoriteIds).toEqual([]);
    const w = applyAction(empty, { kind: 'watchlist', movieId: '3', on: true, at: 'now' });
    expect(w.watchlistIds).toEqual(['3']);
    expect(w.watchlist).toEqual([{ movieId: '3', addedAt: 'now', movie: null }]);
    expect(applyAction(w, { kind: 'watchlist', movieId: '3', on: false }).watchlist).toEqual([]);
    expect(applyAction(empty, { kind: 'dismiss', movieId: '4', on: true }).dismissedIds).toEqual(['4']);
  });
});

describe('lastFavourite', () => {
  it('prefers the last favourite, else the latest rating of 4+', () => {
    const s: UserState = {
      ...empty,
      ratings: [
        { movieId: '1', value: 4, ratedAt: '2024-01-01', movie: null },
        { movieId: '2', value: 5, ratedAt: '2024-02-01', movie: null },
        { movieId: '3', value: 2, ratedAt: '2024-03-01', movie: null },
      ],
    };
    expect(lastFavourite(s)?.movieId).toBe('2');
    expect(lastFavourite(empty)).toBeNull();
  });

  it('takes the latest favourite: the server sends them newest first (issue 16)', () => {
    // As GetState answers after a reload: 8 was favourited after 9.
    expect(lastFavourite({ ...empty, favoriteIds: ['8', '9'] })?.movieId).toBe('8');
    // Favouriting 5 now puts it in front, where the server's next answer will have it too.
    const s = applyAction({ ...empty, favoriteIds: ['8', '9'] }, { kind: 'favorite', movieId: '5', on: true });
    expect(s.favoriteIds).toEqual(['5', '8', '9']);
    expect(lastFavourite(s)?.movieId).toBe('5');
    // Un-favouriting it falls back to the one before.
    expect(lastFavourite(applyAction(s, { kind: 'favorite', movieId: '5', on: false }))?.movieId).toBe('8');
  });

  it('names the favourite from a rating or the watchlist', () => {
    const m = { id: '8', title: 'Heat', year: 1995, genres: [], runtime: null, voteAverage: 7.9, rating: 7.8, voteCount: 10, popularityPercentile: 50 };
    expect(lastFavourite({ ...empty, favoriteIds: ['8'], watchlist: [{ movieId: '8', addedAt: 't', movie: m }] })?.title).toBe('Heat');
    expect(lastFavourite({ ...empty, favoriteIds: ['8'] })?.title).toBeNull();
  });
});

describe('optimistic order matches the server (newest first)', () => {
  it('puts a new rating and a new watchlist entry in front', () => {
    let s = applyAction(empty, { kind: 'rate', movieId: '1', value: 3, at: 't1' });
    s = applyAction(s, { kind: 'rate', movieId: '2', value: 4, at: 't2' });
    expect(s.ratings.map((r) => r.movieId)).toEqual(['2', '1']);
    let w = applyAction(empty, { kind: 'watchlist', movieId: '1', on: true, at: 't1' });
    w = applyAction(w, { kind: 'watchlist', movieId: '2', on: true, at: 't2' });
    expect(w.watchlist.map((e) => e.movieId)).toEqual(['2', '1']);
    expect(w.watchlistIds).toEqual(['2', '1']);
  });
});

describe('forYouDescription', () => {
  it('does not say "from your ratings" to someone with none (issue 16)', () => {
    expect(forYouDescription(0)).not.toMatch(/your ratings/i);
    expect(forYouDescription(0)).toMatch(/rate a few/);
    expect(forYouDescription(3)).toMatch(/^From your ratings so far/);
    expect(forYouDescription(3)).not.toMatch(/and people who rate like you\./);
    expect(forYouDescription(5)).toBe('From your ratings and people who rate like you.');
    expect(forYouDescription(null)).not.toMatch(/your ratings/i);
  });
});
