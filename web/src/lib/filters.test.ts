import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersToParams, filtersToVariables, parseFilters } from './filters';

describe('filters', () => {
  it('sends no filter when none is set', () => {
    expect(filtersToVariables(EMPTY_FILTERS)).toEqual({ query: '', filter: null, sort: null });
  });

  it('turns set filters into MovieFilter variables, trimmed and sorted', () => {
    const v = filtersToVariables({
      ...EMPTY_FILTERS,
      query: '  heat ',
      genres: ['Thriller', 'Crime', 'Thriller'],
      yearFrom: 1990,
      language: 'en',
      runtimeMax: 120,
      sort: 'RATING',
    });
    expect(v).toEqual({
      query: 'heat',
      filter: { genres: ['Crime', 'Thriller'], yearFrom: 1990, language: 'en', runtimeMax: 120 },
      sort: 'RATING',
    });
  });

  it('puts reversed ranges in order', () => {
    const v = filtersToVariables({ ...EMPTY_FILTERS, yearFrom: 2010, yearTo: 1995, runtimeMin: 150, runtimeMax: 90 });
    expect(v.filter).toEqual({ yearFrom: 1995, yearTo: 2010, runtimeMin: 90, runtimeMax: 150 });
  });

  it('drops relevance sorting when browsing without a query', () => {
    expect(filtersToVariables({ ...EMPTY_FILTERS, sort: 'RELEVANCE' }).sort).toBeNull();
    expect(filtersToVariables({ ...EMPTY_FILTERS, query: 'x', sort: 'RELEVANCE' }).sort).toBe('RELEVANCE');
  });

  it('round-trips through the URL', () => {
    const f = { ...EMPTY_FILTERS, query: 'alien', genres: ['Horror', 'Science Fiction'], yearTo: 1999, language: 'en', runtimeMin: 80, sort: 'YEAR' as const };
    expect(parseFilters(new URLSearchParams(filtersToParams(f).toString()))).toEqual(f);
  });

  it('ignores malformed URL values', () => {
    const f = parseFilters(new URLSearchParams('from=abc&to=1999.5&lang=english&sort=BEST&rmin=-4&genre='));
    expect(f).toEqual(EMPTY_FILTERS);
  });
});
