/** Search filters: the URL's query string <-> form state <-> GraphQL variables. */
import type { MovieFilter, MovieSort } from '../gql/graphql';

export interface Filters {
  query: string;
  genres: string[];
  yearFrom: number | null;
  yearTo: number | null;
  language: string | null;
  runtimeMin: number | null;
  runtimeMax: number | null;
  sort: MovieSort | null;
}

export const EMPTY_FILTERS: Filters = {
  query: '',
  genres: [],
  yearFrom: null,
  yearTo: null,
  language: null,
  runtimeMin: null,
  runtimeMax: null,
  sort: null,
};

const SORTS: readonly MovieSort[] = ['RELEVANCE', 'POPULARITY', 'RATING', 'YEAR'];

function int(value: string | null, min: number, max: number): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return null;
  return n;
}

export function parseFilters(params: URLSearchParams): Filters {
  const sort = params.get('sort');
  const language = params.get('lang')?.trim().toLowerCase() ?? '';
  return {
    query: params.get('q') ?? '',
    genres: params.getAll('genre').filter((g) => g.trim() !== ''),
    yearFrom: int(params.get('from'), 1800, 2100),
    yearTo: int(params.get('to'), 1800, 2100),
    language: /^[a-z]{2}$/.test(language) ? language : null,
    runtimeMin: int(params.get('rmin'), 0, 1000),
    runtimeMax: int(params.get('rmax'), 0, 1000),
    sort: sort && (SORTS as readonly string[]).includes(sort) ? (sort as MovieSort) : null,
  };
}

export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.query.trim()) p.set('q', f.query.trim());
  for (const g of f.genres) p.append('genre', g);
  if (f.yearFrom !== null) p.set('from', String(f.yearFrom));
  if (f.yearTo !== null) p.set('to', String(f.yearTo));
  if (f.language) p.set('lang', f.language);
  if (f.runtimeMin !== null) p.set('rmin', String(f.runtimeMin));
  if (f.runtimeMax !== null) p.set('rmax', String(f.runtimeMax));
  if (f.sort) p.set('sort', f.sort);
  return p;
}

export interface SearchVariables {
  query: string;
  filter: MovieFilter | null;
  sort: MovieSort | null;
}

/** Only the filters that are set; a reversed range is put in order; no filter at all is null. */
export function filtersToVariables(f: Filters): SearchVariables {
  const filter: MovieFilter = {};
  if (f.genres.length) filter.genres = [...new Set(f.genres)].sort();
  let { yearFrom, yearTo, runtimeMin, runtimeMax } = f;
  if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  if (runtimeMin !== null && runtimeMax !== null && runtimeMin > runtimeMax) [runtimeMin, runtimeMax] = [runtimeMax, runtimeMin];
  if (yearFrom !== null) filter.yearFrom = yearFrom;
  if (yearTo !== null) filter.yearTo = yearTo;
  if (f.language) filter.language = f.language;
  if (runtimeMin !== null) filter.runtimeMin = runtimeMin;
  if (runtimeMax !== null) filter.runtimeMax = runtimeMax;
  const query = f.query.trim();
  // Relevance means nothing without a query; the API's default (popularity) applies then.
  const sort = f.sort === 'RELEVANCE' && !query ? null : f.sort;
  return { query, filter: Object.keys(filter).length ? filter : null, sort };
}

export function activeFilterCount(f: Filters): number {
  return (
    f.genres.length +
    (f.yearFrom !== null || f.yearTo !== null ? 1 : 0) +
    (f.language ? 1 : 0) +
    (f.runtimeMin !== null || f.runtimeMax !== null ? 1 : 0)
  );
}
