import { describe, expect, it } from 'vitest';
import { creditText, matchedPersonLead, ordinal, popularityText, topPercent, topShareText } from './format';

describe('topPercent (a Together fit as "top X%")', () => {
  it('rounds up, never flattering, as the recommender does', () => {
    expect(topPercent(0.93)).toBe(7);
    expect(topPercent(0.949)).toBe(6); // 5.1% -> 6, not 5
    expect(topPercent(0.951)).toBe(5);
    expect(topPercent(0.4)).toBe(60);
    expect(topPercent(0)).toBe(100);
  });

  it('is never below 1%', () => {
    expect(topPercent(0.996)).toBe(1);
    expect(topPercent(0.999999)).toBe(1);
    expect(topPercent(1)).toBe(1);
  });

  it('is not thrown off by floating point on exact shares', () => {
    // 100 * (1 - 0.97) is 3.0000000000000027 in floating point: still "top 3%", as in the reason text.
    expect(topPercent(0.97)).toBe(3);
    expect(topPercent(0.95)).toBe(5);
    expect(topPercent(0.85)).toBe(15);
    expect(topPercent(0.8)).toBe(20);
    for (let p = 1; p <= 100; p++) expect(topPercent(1 - p / 100)).toBe(p);
  });

  it('reads "top X%"', () => {
    expect(topShareText(0.99)).toBe('top 1%');
    expect(topShareText(0.4)).toBe('top 60%');
  });
});

describe('popularityText', () => {
  it('follows the recommender scale: never calls a rarely rated film a gem', () => {
    expect(popularityText(99.4, 12000)).toBe('Very well known (top 1%)');
    expect(popularityText(90.2, 2500)).toBe('Very well known (top 10%)');
    expect(popularityText(89.6, 2400)).toBe('Well known'); // can still be a gem: not "top 10%"
    expect(popularityText(75.4, 840)).toBe('Well known'); // above the default gem ceiling
    expect(popularityText(75, 829)).toBe('Lesser known');
    expect(popularityText(34.2, 49)).toBe('Rarely rated'); // too few votes for the rating to mean much
    expect(popularityText(20, 17)).toBe('Rarely rated');
  });
});

describe('matchedPersonLead (why a search hit matched)', () => {
  it('says how the person is credited', () => {
    expect(matchedPersonLead('director')).toBe('Directed by');
    expect(matchedPersonLead('cast')).toBe('With');
  });
});

describe('creditText (a credit on a person page or a suggestion)', () => {
  it('says director, or cast with the billing as an ordinal', () => {
    expect(creditText('director', 0)).toBe('Director');
    expect(creditText('cast', 1)).toBe('Cast, billed 1st');
    expect(creditText('cast', 3)).toBe('Cast, billed 3rd');
    expect(creditText('cast')).toBe('Cast');
    expect([2, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual(['2nd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
  });
});
