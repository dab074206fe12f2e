import { useQueryClient } from '@tanstack/react-query';
import { useMe } from '../auth/AuthProvider';
import { memo, useId, useState } from 'react';
import { Link } from 'react-router';
import type { MovieCardFieldsFragment, RecommendationFieldsFragment, Zone } from '../gql/graphql';
import { countText, popularityText, runtimeText, topPercent, topShareText } from '../lib/format';
import { prefetchFilm } from '../lib/prefetch';
import { useFilmActions } from '../lib/useFilmActions';
import { Poster } from './Poster';
import { useToast } from './Toasts';
import { reasonLabel, ReasonList } from './Reasons';
import { StarRating } from './StarRating';
import { Toolbar } from './Toolbar';

type Reason = RecommendationFieldsFragment['reasons'][number];
type Fit = RecommendationFieldsFragment['fits'][number];

/** Together: each member's fit for the film, in words ("ana top 3%"), the caller first. */
export function FitList({ fits, title }: { fits: Fit[]; title: string }) {
  return (
    <ul className="card-fits" aria-label={`How ${title} fits each of you`}>
      {fits.map((f, i) => {
        const name = f.user?.username ?? 'Former member';
        const key = f.user?.id ?? `gone-${i}`;
        if (!f.tasteKnown) {
          return (
            <li key={key} title={`${name} has not rated films yet: nothing is known of their taste`}>
              <span className="fit-name">{name}</span> <span className="fit-share">no ratings yet</span>
            </li>
          );
        }
        const top = topPercent(f.score);
        return (
          <li key={key} title={`A better fit for ${name} than ${100 - top}% of the catalogue`}>
            <span className="fit-name">{name}</span> <span className="fit-share">{topShareText(f.score)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** After Undo the card comes back once the cached state is updated: give its title link the focus then. */
function focusCardLater(movieId: string, tries = 10) {
  window.setTimeout(() => {
    const link = document.querySelector<HTMLElement>(`article[data-movie-id="${CSS.escape(movieId)}"] .card-title a`);
    if (link) link.focus();
    else if (tries > 0) focusCardLater(movieId, tries - 1);
  }, 50);
}

interface Props {
  movie: MovieCardFieldsFragment;
  reasons?: Reason[];
  /** Together: every member's fit (empty elsewhere). */
  fits?: Fit[];
  zone?: Zone | null;
  /** Search sorted by rating: show the vote-count-aware rating the list is ordered by (not the raw average). */
  ratingSort?: boolean;
  /** Search: why the film matched, when a person did ("With Tom Hanks"); a person page: the credit ("Director"). */
  matchLine?: React.ReactNode;
  /** Show the half-star control (onboarding, Together). */
  rating?: number | null;
  showRating?: boolean;
  /** Show "Not interested" (with Undo in a toast). Every card has "Seen it". */
  dismissable?: boolean;
  /** Extra controls (e.g. remove from watchlist). */
  footer?: React.ReactNode;
  /** The title's heading level: one below the heading the card sits under (3 in a row under an h2; 2 in a
   * page's list right under its h1), so the outline skips no level. */
  headingLevel?: 2 | 3 | 4;
}

export const MovieCard = memo(function MovieCard({ movie, reasons = [], fits = [], zone = null, rating = null, ratingSort = false, matchLine = null, showRating, dismissable, footer, headingLevel = 3 }: Props) {
  const Title = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const qc = useQueryClient();
  const { run, signedIn } = useFilmActions();
  const toast = useToast();
  const me = useMe();
  const seen = me.data?.state.watchedIds.includes(movie.id) ?? false;
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const reasonsId = useId();
  const href = `/film/${movie.id}${zone ? `?from=${zone}` : ''}`;
  const top = reasons[0];
  const meta = [movie.year, runtimeText(movie.runtime)].filter(Boolean).join(' · ');
  return (
    <article className="card" aria-labelledby={headingId} data-movie-id={movie.id}>
      <Link to={href} className="card-poster-link" tabIndex={-1} aria-hidden="true" onMouseEnter={() => prefetchFilm(qc, movie.id)}>
        <Poster id={movie.id} title={movie.title} year={movie.year} genres={movie.genres} />
      </Link>
      <div className="card-body">
        <Title className="card-title" id={headingId}>
          <Link to={href} onMouseEnter={() => prefetchFilm(qc, movie.id)} onFocus={() => prefetchFilm(qc, movie.id)}>
            {movie.title}
          </Link>
        </Title>
        <p className="card-meta">{meta}</p>
        {matchLine ? <p className="card-match">{matchLine}</p> : null}
        {movie.genres.length > 0 ? <p className="card-genres">{movie.genres.slice(0, 3).join(' · ')}</p> : null}
        <p className="card-stats">
          {ratingSort && movie.rating != null ? (
            <span title={`Average ${movie.voteAverage.toFixed(1)} from ${movie.voteCount} votes, weighed by how many voted`}>
              <span aria-hidden="true">★ </span>
              <span className="visually-hidden">Rating, weighed by votes, </span>
              {movie.rating.toFixed(1)}
              <span className="muted">/10 weighed · {countText(movie.voteCount)} votes</span>
            </span>
          ) : (
            <span title={`${movie.voteCount} votes`}>
              <span aria-hidden="true">★ </span>
              <span className="visually-hidden">Rated </span>
              {movie.voteAverage.toFixed(1)}
              <span className="muted">/10 · {countText(movie.voteCount)} votes</span>
            </span>
          )}
        </p>
        <p className="card-popularity">
          <span className="pop-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(3, movie.popularityPercentile)}%` }} />
          </span>
          <span>{popularityText(movie.popularityPercentile, movie.voteCount)}</span>
        </p>
        {top ? (
          <p className="card-reason">
            <span className={`reason-kind kind-${top.kind.toLowerCase()}`}>{reasonLabel(top.kind)}</span> {top.text}
          </p>
        ) : null}
        {fits.length > 0 ? <FitList fits={fits} title={movie.title} /> : null}
        {showRating ? (
          <StarRating
            size="sm"
            label={`Your rating of ${movie.title}`}
            value={rating}
            onChange={(v) =>
              run(v === null ? { kind: 'clearRating', movieId: movie.id } : { kind: 'rate', movieId: movie.id, value: v, movie }, zone)
            }
          />
        ) : null}
        <Toolbar label={`Actions for ${movie.title}`} className="card-actions">
          {reasons.length > 0 ? (
            <button
              type="button"
              className="chip-button"
              aria-expanded={open}
              aria-controls={reasonsId}
              aria-label={`Why ${movie.title}?`}
              onClick={() => setOpen((o) => !o)}
            >
              why?
            </button>
          ) : null}
          {dismissable ? (
            <button
              type="button"
              className="chip-button"
              aria-label={`Not interested in ${movie.title}`}
              onClick={(e) => {
                const fromKeyboard = e.currentTarget === document.activeElement && e.detail === 0;
                run({ kind: 'dismiss', movieId: movie.id, on: true }, zone);
                if (!signedIn) return; // run went to the log-in page; nothing to undo
                toast.undo(
                  `Removed ${movie.title}.`,
                  () => {
                    run({ kind: 'dismiss', movieId: movie.id, on: false }, zone);
                    if (fromKeyboard) focusCardLater(movie.id);
                  },
                  { ariaLabel: `Undo: bring back ${movie.title}`, focus: fromKeyboard },
                );
              }}
            >
              Not interested
            </button>
          ) : null}
          <button
            type="button"
            className="chip-button"
            aria-label={seen ? `Seen ${movie.title}` : `Seen it: mark ${movie.title} as watched`}
            disabled={seen}
            onClick={() => {
              run({ kind: 'watched', movieId: movie.id }, zone);
              // the API cannot unmark a watched film: no Undo here
            }}
          >
            {seen ? (
              <>
                <span aria-hidden="true">✓ </span>Seen
              </>
            ) : (
              'Seen it'
            )}
          </button>
          {footer}
        </Toolbar>
        {open ? <ReasonList reasons={reasons} id={reasonsId} /> : null}
      </div>
    </article>
  );
});
