import type { UseQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useMe } from '../auth/AuthProvider';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { useHiddenIds } from '../lib/useHiddenIds';
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
  /** The row's name in words, for the arrows' labels when the title is not plain text. */
  label?: string;
}

/** Ids that were not in the row before: when there are any, the row's content was replaced (a fresh answer
 * after the cached one) rather than thinned (a dismissal), and the row goes back to its start. */
export function isReplaced(before: readonly string[], after: readonly string[]): boolean {
  const seen = new Set(before);
  return after.some((id) => !seen.has(id));
}

/** Keeps a horizontal row at its start when its content is replaced, and drives its previous/next arrows. */
function useRowScroll(ids: readonly string[]) {
  const ref = useRef<HTMLUListElement>(null);
  const shown = useRef<readonly string[]>([]);
  const [ends, setEnds] = useState({ back: false, forward: false });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    // A few pixels of slack: scroll snapping parks the row's start on the first card, past the list's padding.
    const back = el.scrollLeft > 8;
    const forward = el.scrollLeft + el.clientWidth < el.scrollWidth - 8;
    setEnds((e) => (e.back === back && e.forward === forward ? e : { back, forward }));
  }, []);
  const key = ids.join(',');
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && shown.current.length > 0 && isReplaced(shown.current, ids) && el.scrollLeft !== 0) el.scrollLeft = 0;
    shown.current = ids;
    measure();
  }, [key, measure]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [measure, key]);
  const step = useCallback((dir: 1 | -1) => {
    const el = ref.current;
    if (!el) return;
    const by = Math.max(el.clientWidth * 0.85, 1) * dir;
    const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    if (typeof el.scrollBy === 'function') el.scrollBy({ left: by, behavior: smooth ? 'smooth' : 'auto' });
    else el.scrollLeft += by;
  }, []);
  return { ref, ends, measure, step };
}

/** "Skip row": whether another zone follows this one on the page, and a click handler that moves the focus to
 * that zone's heading (scrolling it into view), past this zone's cards. */
function useNextZone() {
  const ref = useRef<HTMLElement>(null);
  const [exists, setExists] = useState(false);
  const find = useCallback((): HTMLElement | null => {
    const here = ref.current;
    if (!here) return null;
    const zones = Array.from(document.querySelectorAll<HTMLElement>('section.zone'));
    return zones[zones.indexOf(here) + 1] ?? null;
  }, []);
  // After every render: rows above or below may have appeared (Together once `me` is known).
  useLayoutEffect(() => {
    const found = find() !== null;
    setExists((e) => (e === found ? e : found));
  });
  const skip = useCallback(
    (e: React.MouseEvent<HTMLAnchorElement>) => {
      e.preventDefault();
      const heading = find()?.querySelector<HTMLElement>('h2, h3');
      if (!heading) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    },
    [find],
  );
  return { ref, exists, skip };
}

/** One recommendation zone: its heading, then skeletons, an error in plain words, or its cards. */
export function ZoneRow({ title, description, query, empty, layout = 'row', showRating, children, idle, blocked, headingLevel = 2, label }: Props) {
  const me = useMe();
  const headingId = useId();
  const listId = useId();
  const hidden = useHiddenIds(); // dismissed and seen films leave the zone (the API leaves them out of fresh answers)
  const items = (query.data ?? []).filter((r) => !hidden.has(r.movie.id));
  const [seeAll, setSeeAll] = useState(false);
  const shape = layout === 'row' && seeAll ? 'grid' : layout;
  const row = useRowScroll(items.map((r) => r.movie.id));
  const next = useNextZone();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const name = label ?? (typeof title === 'string' ? title : 'this row');
  let body: ReactNode;
  let arrows: ReactNode = null;
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
    if (layout === 'row') {
      arrows = (
        <div className="row-arrows">
          <button
            type="button"
            className="chip-button see-all"
            aria-expanded={seeAll}
            aria-controls={listId}
            aria-label={seeAll ? `Show as a row: ${name}` : `See all ${items.length} in ${name}`}
            onClick={() => setSeeAll((v) => !v)}
          >
            {seeAll ? 'Show as a row' : `See all ${items.length}`}
          </button>
          {seeAll ? null : (
            <>
          <button
            type="button"
            className="row-arrow"
            aria-label={`Previous films in ${name}`}
            aria-controls={listId}
            aria-disabled={!row.ends.back}
            onClick={() => row.ends.back && row.step(-1)}
          >
            <span aria-hidden="true">‹</span>
          </button>
          <button
            type="button"
            className="row-arrow"
            aria-label={`Next films in ${name}`}
            aria-controls={listId}
            aria-disabled={!row.ends.forward}
            onClick={() => row.ends.forward && row.step(1)}
          >
            <span aria-hidden="true">›</span>
          </button>
            </>
          )}
        </div>
      );
    }
    body = (
      <ul
        id={listId}
        ref={shape === 'row' ? row.ref : undefined}
        onScroll={shape === 'row' ? row.measure : undefined}
        className={shape === 'grid' ? 'card-grid' : 'card-row'}
        aria-busy={query.isFetching}
      >
        {items.map((r) => (
          <li key={r.movie.id}>
            <MovieCard
              movie={r.movie}
              reasons={r.reasons}
              fits={r.fits}
              zone={r.zone}
              dismissable
              showRating={showRating}
              headingLevel={headingLevel === 2 ? 3 : 4}
              rating={ratingOf(me.data?.state, r.movie.id)}
            />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className={`zone zone-${shape}`} aria-labelledby={headingId} ref={next.ref}>
      <div className="zone-head">
        <H id={headingId}>{title}</H>
        {/* After the heading: "Skip" lands on the next row's heading, and the next Tab on that row's Skip. */}
        {items.length > 0 && !blocked && next.exists ? (
          <a href="#main" className="skip-row" onClick={next.skip}>
            Skip {name}
          </a>
        ) : null}
        {description ? <p className="zone-desc">{description}</p> : null}
        {arrows}
      </div>
      {children}
      {body}
      {query.error && query.data && !blocked ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} what="Couldn't refresh this row." /> : null}
    </section>
  );
}
