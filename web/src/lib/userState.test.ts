import { describe, expect, it } from 'vitest';
import { applyAction, lastFavourite, type UserState } from './userState';

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
    expect(lastFavourite({ ...s, favoriteIds: ['9', '8'] })?.movieId).toBe('8');
    expect(lastFavourite(empty)).toBeNull();
  });
});
