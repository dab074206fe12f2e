import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isNetworkError } from '../api/errors';
import { genresQuery, searchQuery } from '../api/queries';
import { ErrorBox } from '../components/ErrorBox';
import { MovieCard } from '../components/MovieCard';
import { SearchCombobox } from '../components/SearchCombobox';
import { SkeletonCards } from '../components/Skeleton';
import type { MovieSort } from '../gql/graphql';
import { languageName, matchedPersonLead } from '../lib/format';
import { activeFilterCount, filtersToParams, filtersToVariables, parseFilters, type Filters } from '../lib/filters';
import { prefetchRoute } from '../lib/prefetch';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useOnline } from '../lib/useOnline';

/** The catalogue's most common original languages (ISO 639-1). */
const LANGUAGES = ['en', 'fr', 'es', 'de', 'it', 'ja', 'ko', 'zh', 'cn', 'hi', 'ru', 'sv', 'da', 'no', 'pt', 'nl', 'fa', 'tr', 'th', 'pl'];

const numberOrNull = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? null : Math.round(Number(v)));

function FilterForm({ initial, onApply }: { initial: Filters; onApply(f: Filters): void }) {
  const [f, setF] = useState(initial);
  useEffect(() => setF(initial), [initial]);
  const genres = useQuery(genresQuery());
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setF((x) => ({ ...x, [k]: v }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    onApply(f);
  }
  return (
    <form className="search-form" onSubmit={onSubmit} role="search" aria-label="Films">
      <div className="search-bar">
        <label htmlFor="q" className="visually-hidden">
          Search films
        </label>
        <SearchCombobox
          id="q"
          placeholder="Title, person, keyword… (typos are fine)"
          value={f.query}
          onChange={(v) => set('query', v)}
        />
        <button type="submit" className="button button-primary">
          Search
        </button>
      </div>
      <details className="filters" open={activeFilterCount(initial) > 0}>
        <summary>
          Filters{activeFilterCount(initial) ? ` (${activeFilterCount(initial)})` : ''}
        </summary>
        <div className="filter-grid">
          <fieldset>
            <legend>Genres</legend>
            {genres.error ? <ErrorBox error={genres.error} onRetry={() => void genres.refetch()} /> : null}
            <div className="genre-chips">
              {(genres.data ?? []).map((g) => (
                <label key={g.name} className="check-chip">
                  <input
                    type="checkbox"
                    checked={f.genres.includes(g.name)}
                    onChange={(e) =>
                      set('genres', e.target.checked ? [...f.genres, g.name] : f.genres.filter((x) => x !== g.name))
                    }
                  />
                  <span>{g.name}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="range">
            <legend>Years</legend>
            <label>
              From
              <input type="number" inputMode="numeric" min={1900} max={2100} value={f.yearFrom ?? ''} onChange={(e) => set('yearFrom', numberOrNull(e.target.value))} />
            </label>
            <label>
              To
              <input type="number" inputMode="numeric" min={1900} max={2100} value={f.yearTo ?? ''} onChange={(e) => set('yearTo', numberOrNull(e.target.value))} />
            </label>
          </fieldset>
          <fieldset className="range">
            <legend>Runtime (minutes)</legend>
            <label>
              At least
              <input type="number" inputMode="numeric" min={0} max={1000} value={f.runtimeMin ?? ''} onChange={(e) => set('runtimeMin', numberOrNull(e.target.value))} />
            </label>
            <label>
              At most
              <input type="number" inputMode="numeric" min={0} max={1000} value={f.runtimeMax ?? ''} onChange={(e) => set('runtimeMax', numberOrNull(e.target.value))} />
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="lang">Language</label>
            <select id="lang" value={f.language ?? ''} onChange={(e) => set('language', e.target.value || null)}>
              <option value="">Any</option>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)} ({l})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sort">Sort by</label>
            <select id="sort" value={f.sort ?? ''} onChange={(e) => set('sort', (e.target.value || null) as MovieSort | null)}>
              <option value="">Best match (or popularity)</option>
              <option value="POPULARITY">Popularity</option>
              <option value="RATING">Rating</option>
              <option value="YEAR">Newest</option>
            </select>
          </div>
        </div>
        <div className="row-buttons">
          <button type="submit" className="button">
            Apply filters
          </button>
          <button type="button" className="link-button" onClick={() => onApply({ ...f, genres: [], yearFrom: null, yearTo: null, language: null, runtimeMin: null, runtimeMax: null, sort: null })}>
            Clear filters
          </button>
        </div>
      </details>
    </form>
  );
}

/** Why a film matched, when a person did: "Directed by <a>Christopher Nolan</a>", "With <a>Tom Hanks</a>". */
function MatchedPerson({ match }: { match: { role: string; person: { id: string; name: string } } }) {
  return (
    <>
      {matchedPersonLead(match.role)}{' '}
      <Link to={`/person/${match.person.id}`} onMouseEnter={() => prefetchRoute('person')} onFocus={() => prefetchRoute('person')}>
        {match.person.name}
      </Link>
    </>
  );
}

export default function Search() {
  useDocumentTitle('Search');
  const [params, setParams] = useSearchParams();
  const paramsKey = params.toString();
  const [filters, setFilters] = useState(() => parseFilters(params));
  useEffect(() => setFilters(parseFilters(new URLSearchParams(paramsKey))), [paramsKey]);
  const vars = filtersToVariables(filters);
  const query = useInfiniteQuery({ ...searchQuery(vars.query, vars.filter, vars.sort), placeholderData: keepPreviousData });
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const online = useOnline();
  // While the query retries a network failure, `error` is still null: `failureReason` says it at once.
  const unreachable = !online || isNetworkError(query.failureReason) || isNetworkError(query.error);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: '600px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const edges = query.data?.pages.flatMap((p) => p.edges) ?? [];
  const total = query.data?.pages[0]?.totalCount;
  return (
    <div className="page">
      <h1>Search and browse</h1>
      <FilterForm initial={filters} onApply={(f) => setParams(filtersToParams(f))} />
      <p className="result-count" role="status">
        {total !== undefined ? `${total.toLocaleString('en')} film${total === 1 ? '' : 's'}` : ''}
      </p>
      {query.error && !query.data ? (
        <ErrorBox error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <SkeletonCards count={12} />
      ) : edges.length === 0 ? (
        <p className="empty">No film matches. Loosen a filter or check the spelling.</p>
      ) : (
        <>
          {unreachable ? (
            <p className="offline-note" role="status">
              You're offline: these results may be out of date.
            </p>
          ) : null}
          <ul className="card-grid" aria-busy={query.isFetching}>
            {edges.map(({ node: m, matchedPerson }) => (
              <li key={m.id}>
                <MovieCard headingLevel={2} movie={m} ratingSort={vars.sort === 'RATING'} matchLine={matchedPerson ? <MatchedPerson match={matchedPerson} /> : null} />
              </li>
            ))}
          </ul>
        </>
      )}
      {query.error && query.data ? <ErrorBox error={query.error} onRetry={() => void fetchNextPage()} what="Couldn't load more." /> : null}
      <div ref={sentinel} />
      {hasNextPage ? (
        <div className="load-more">
          {isFetchingNextPage ? <SkeletonCards count={4} label="Loading more films" /> : null}
          <button type="button" className="button button-quiet" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            Load more
          </button>
        </div>
      ) : null}
    </div>
  );
}
