import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/errors';
import { personQuery } from '../api/queries';
import { ErrorBox } from '../components/ErrorBox';
import { MovieCard } from '../components/MovieCard';
import { SkeletonCards, SkeletonText } from '../components/Skeleton';
import type { CreditSort, PersonQuery } from '../gql/graphql';
import { creditText } from '../lib/format';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import NotFound from './NotFound';

type Credit = NonNullable<PersonQuery['person']>['directed'][number];

/** `?sort=known` orders by how known (most votes first); no parameter (or any other value): by year. */
export function sortFromParams(params: URLSearchParams): CreditSort {
  return params.get('sort') === 'known' ? 'KNOWN' : 'YEAR';
}

const SORTS: { value: CreditSort; label: string }[] = [
  { value: 'YEAR', label: 'By year' },
  { value: 'KNOWN', label: 'By how known' },
];

function isMissingPerson(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT');
}

function Filmography({ title, credits }: { title: string; credits: Credit[] }) {
  const headingId = useId();
  return (
    <section className="filmography" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <span className="muted">({credits.length})</span>
      </h2>
      <ul className="card-grid">
        {credits.map((c) => (
          <li key={`${c.role}-${c.movie.id}`}>
            <MovieCard movie={c.movie} matchLine={creditText(c.role, c.billing)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A person's filmography, as director and as cast (both when they are both), by year or by how known. */
export default function Person() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const sort = sortFromParams(params);
  const query = useQuery({ ...personQuery(id, sort), placeholderData: keepPreviousData });
  const page = query.data;
  const missing = page === null || isMissingPerson(query.error);
  useDocumentTitle(page?.person.name ?? (missing ? 'Not found' : null));

  if (missing) {
    return (
      <NotFound title="We don’t know that person">
        There is no director or cast member with this address in the catalogue; the link may be mistyped or old.
      </NotFound>
    );
  }
  if (query.error && !page) {
    return (
      <div className="page narrow">
        <h1>Person</h1>
        <ErrorBox error={query.error} onRetry={() => void query.refetch()} />
        <p>
          <Link to="/search">Search the catalogue</Link>
        </p>
      </div>
    );
  }
  if (!page) {
    return (
      <div className="page person-page" aria-busy="true">
        <SkeletonText lines={2} />
        <SkeletonCards count={8} />
      </div>
    );
  }
  const { directed, acted } = page;
  const summary = [
    directed.length ? `Directed ${directed.length} film${directed.length === 1 ? '' : 's'}` : null,
    acted.length ? `in the cast of ${acted.length} film${acted.length === 1 ? '' : 's'}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="page person-page">
      <h1>{page.person.name}</h1>
      <p className="muted person-summary">{summary ? summary.charAt(0).toUpperCase() + summary.slice(1) + ' in the catalogue.' : 'No films in the catalogue.'}</p>
      <div className="segmented" role="group" aria-label="Order of the films">
        {SORTS.map((s) => (
          <button
            key={s.value}
            type="button"
            aria-pressed={sort === s.value}
            onClick={() => {
              const next = new URLSearchParams(params);
              if (s.value === 'KNOWN') next.set('sort', 'known');
              else next.delete('sort');
              setParams(next, { replace: true });
            }}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div aria-busy={query.isFetching} className="filmographies">
        {directed.length > 0 ? <Filmography title="Directed" credits={directed} /> : null}
        {acted.length > 0 ? <Filmography title="Cast" credits={acted} /> : null}
      </div>
    </div>
  );
}
