import type { UseQueryResult } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { useMe } from '../auth/AuthProvider';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { ratingOf } from '../lib/userState';
import { ErrorBox } from './ErrorBox';
import { MovieCard } from './MovieCard';
import { SkeletonCards } from './Skeleton';

type Recs = RecommendationFieldsFragment[];

interface Props {
  title: ReactNode;
  description?: ReactNode;
  query: Pick<UseQueryResult<Recs>, 'data' | 'error' | 'isPending' | 'isFetching' | 'isPlaceholderData'> & {
    refetch: () => unknown;
    fetchStatus?: string;
  };
  /** Shown when the zone has nothing (after dismissals too). */
  empty?: ReactNode;
  /** Laid out as a wrapping grid instead of a horizontal row. */
  layout?: 'row' | 'grid';
  showRating?: boolean;
  children?: ReactNode;
  /** Disabled queries (nothing to ask yet) show this instead of skeletons. */
  idle?: ReactNode;
  /** Shown instead of the cards (and of any earlier answer) while the controls ask for nothing that can be sent. */
  blocked?: ReactNode;
  headingLevel?: 2 | 3;
}

/** One recommendation zone: its heading, then skeletons, an error in plain words, or its cards. */
export function ZoneRow({ title, description, query, empty, layout = 'row', showRating, children, idle, blocked, headingLevel = 2 }: Props) {
  const me = useMe();
  const headingId = useId();
  const dismissed = new Set(me.data?.state.dismissedIds ?? []);
  const items = (query.data ?? []).filter((r) => !dismissed.has(r.movie.id));
  const H = headingLevel === 2 ? 'h2' : 'h3';
  let body: ReactNode;
  if (blocked) {
    body = blocked;
  } else if (query.error && !query.data) {
    body = <ErrorBox error={query.error} onRetry={() => void query.refetch()} />;
  } else if (query.isPending && query.fetchStatus === 'idle' && idle) {
    body = idle;
  } else if (query.isPending) {
    body = <SkeletonCards count={layout === 'grid' ? 8 : 6} label={`Loading ${typeof title === 'string' ? title : 'films'}`} />;
  } else if (items.length === 0) {
    body = <p className="empty">{empty ?? 'Nothing here right now.'}</p>;
  } else {
    body = (
      <ul className={layout === 'grid' ? 'card-grid' : 'card-row'} aria-busy={query.isFetching}>
        {items.map((r) => (
          <li key={r.movie.id}>
            <MovieCard
              movie={r.movie}
              reasons={r.reasons}
              fits={r.fits}
              zone={r.zone}
              dismissable
              showRating={showRating}
              rating={ratingOf(me.data?.state, r.movie.id)}
            />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className={`zone zone-${layout}`} aria-labelledby={headingId}>
      <div className="zone-head">
        <H id={headingId}>{title}</H>
        {description ? <p className="zone-desc">{description}</p> : null}
      </div>
      {children}
      {body}
      {query.error && query.data && !blocked ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} what="Couldn't refresh this row." /> : null}
    </section>
  );
}
