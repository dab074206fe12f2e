import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../api/errors';
import { OpenMovieDocument } from '../api/operations';
import { allWeightsZero, gemCeilingScaleQuery, hiddenGemsQuery, movieQuery, similarQuery } from '../api/queries';
import { api } from '../api/session';
import { useMe } from '../auth/AuthProvider';
import { SignInLink } from '../auth/SignInLink';
import { Comments } from '../components/Comments';
import { ErrorBox } from '../components/ErrorBox';
import { Poster } from '../components/Poster';
import { SkeletonText } from '../components/Skeleton';
import { StarRating } from '../components/StarRating';
import { useToast } from '../components/Toasts';
import { ZoneRow } from '../components/ZoneRow';
import type { AxisWeights, Zone } from '../gql/graphql';
import { countText, languageName, popularityText, runtimeText } from '../lib/format';
import { nearestStep, obscurityRange, toPercentile } from '../lib/gemCeiling';
import { prefetchRoute } from '../lib/prefetch';
import { useDebounced } from '../lib/useDebounced';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useFilmActions } from '../lib/useFilmActions';
import { ratingOf } from '../lib/userState';
import NotFound from './NotFound';

const ZONES: readonly Zone[] = ['SIMILAR', 'HIDDEN_GEMS', 'FOR_YOU', 'VIBE', 'TOGETHER', 'BROWSE'];
/** The recommender's defaults (docs/recommender.md). */
export const DEFAULT_WEIGHTS: Required<{ [K in keyof AxisWeights]: number }> = { story: 1, people: 0.5, style: 0.5, genre: 0.3 };
const AXES: { key: keyof typeof DEFAULT_WEIGHTS; label: string; hint: string }[] = [
  { key: 'story', label: 'Story', hint: 'plot, tagline, themes' },
  { key: 'people', label: 'People', hint: 'director and cast' },
  { key: 'style', label: 'Style', hint: 'makers, era, length, language' },
  { key: 'genre', label: 'Genre', hint: 'shared genres' },
];

/** Notes that the film was opened, once it has loaded (a film we don't have is not noted, nor toasted about). */
function useOpenSignal(movieId: string, zone: Zone | null, loaded: boolean) {
  const toast = useToast();
  useEffect(() => {
    if (!loaded) return;
    let cancelled = false;
    const t = window.setTimeout(() => {
      api.request(OpenMovieDocument, { movieId, zone }).catch((e: unknown) => {
        if (!cancelled) toast.error(`We couldn't note that you opened this film. ${describeError(e)}`);
      });
    }, 300); // StrictMode mounts twice in development; a real visit is counted once
    return () => {
      cancelled = true;
      window.clearTimeout(t);
    };
  }, [movieId, zone, toast, loaded]);
}

/** The gateway's answer for an id it has no film for (NOT_FOUND) or that cannot be a film id (BAD_USER_INPUT). */
function isMissingFilm(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT');
}

/** Said instead of the list while every axis is at 0: the API refuses weights that rank by nothing. */
export const ALL_ZERO_MESSAGE = 'Give at least one axis a weight above zero.';

export function MoreLikeThis({ movieId }: { movieId: string }) {
  const [weights, setWeights] = useState(DEFAULT_WEIGHTS);
  const debounced = useDebounced(weights, 250);
  const isDefault = AXES.every((a) => debounced[a.key] === DEFAULT_WEIGHTS[a.key]);
  const allZero = allWeightsZero(weights); // at once, not after the debounce: the list never shows for all zeros
  const query = useQuery({
    ...similarQuery(movieId, isDefault ? null : debounced), // all-zero weights are never sent (enabled: false)
    placeholderData: keepPreviousData,
  });
  return (
    <ZoneRow
      title="More like this"
      description="Move the sliders to say what “like this” means to you."
      query={query}
      blocked={
        allZero ? (
          <p className="empty" role="status">
            {ALL_ZERO_MESSAGE}
          </p>
        ) : null
      }
    >
      <fieldset className="sliders">
        <legend className="visually-hidden">Similarity axes</legend>
        {AXES.map((a) => (
          <div className="slider" key={a.key}>
            <label htmlFor={`axis-${a.key}`}>
              {a.label} <span className="muted">({a.hint})</span>
            </label>
            <input
              id={`axis-${a.key}`}
              type="range"
              min={0}
              max={10}
              step={0.1}
              value={weights[a.key]}
              aria-valuetext={weights[a.key].toFixed(1)}
              onChange={(e) => setWeights((w) => ({ ...w, [a.key]: Number(e.target.value) }))}
            />
            <output htmlFor={`axis-${a.key}`}>{weights[a.key].toFixed(1)}</output>
          </div>
        ))}
        <button type="button" className="link-button" onClick={() => setWeights(DEFAULT_WEIGHTS)} disabled={isDefault}>
          Reset
        </button>
      </fieldset>
    </ZoneRow>
  );
}

export function GemsTwin({ movieId }: { movieId: string }) {
  const scale = useQuery(gemCeilingScaleQuery());
  const range = scale.data ? obscurityRange(scale.data) : null;
  const [moved, setMoved] = useState<number | null>(null); // null: not moved, the scale's default
  const debounced = useDebounced(moved, 250);
  const obscurity = moved ?? range?.initial ?? null;
  const asked = debounced ?? range?.initial ?? null;
  const step = scale.data && obscurity !== null ? nearestStep(scale.data, toPercentile(obscurity)) : null;
  const query = useQuery({
    // Without the scale (it failed to load) the recommender's own ceiling is used.
    ...hiddenGemsQuery(movieId, asked === null ? null : toPercentile(asked)),
    enabled: asked !== null || scale.isError,
    placeholderData: keepPreviousData,
  });
  return (
    <ZoneRow
      title="Hidden gems like this"
      description={
        step && scale.data
          ? `Close to this film and little known (${step.text}), yet rated ${scale.data.goodMinAverage.toFixed(1)} or more on average by at least ${scale.data.trustedMinVotes} voters.`
          : 'Close to this film and little known, yet well rated.'
      }
      query={query}
      empty="No hidden gems that obscure; move the slider left."
    >
      {range && step && obscurity !== null ? (
        <div className="slider">
          <label htmlFor="obscurity">Obscurity</label>
          <input
            id="obscurity"
            type="range"
            min={range.min}
            max={range.max}
            step={range.step}
            value={obscurity}
            aria-valuetext={step.text}
            onChange={(e) => setMoved(Number(e.target.value))}
          />
          <output htmlFor="obscurity">{step.text}</output>
        </div>
      ) : scale.error ? (
        <ErrorBox error={scale.error} onRetry={() => void scale.refetch()} what="Couldn't load the obscurity slider." />
      ) : (
        <SkeletonText lines={1} />
      )}
    </ZoneRow>
  );
}

/** Credits as links to each person's page, comma-separated. */
function PeopleLinks({ people }: { people: { id: string; name: string }[] }) {
  return (
    <>
      {people.map((p, i) => (
        <Fragment key={`${p.id}-${i}`}>
          {i > 0 ? ', ' : null}
          <Link to={`/person/${p.id}`} onMouseEnter={() => prefetchRoute('person')} onFocus={() => prefetchRoute('person')}>
            {p.name}
          </Link>
        </Fragment>
      ))}
    </>
  );
}

export default function Film() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from');
  const zone: Zone | null = from && (ZONES as readonly string[]).includes(from) ? (from as Zone) : null;
  const movie = useQuery(movieQuery(id));
  const me = useMe();
  const { run, signedIn } = useFilmActions();
  const m = movie.data;
  const missing = movie.data === null || isMissingFilm(movie.error);
  useOpenSignal(id, zone, !!m && signedIn); // signed out there is no one to note it for
  useDocumentTitle(m?.title ?? (missing ? 'Not found' : null)); // the parent's effect runs last: it sets the title
  const state = me.data?.state;
  const flags = useMemo(
    () => ({
      favourite: state?.favoriteIds.includes(id) ?? false,
      watchlist: state?.watchlistIds.includes(id) ?? false,
      dismissed: state?.dismissedIds.includes(id) ?? false,
      watched: state?.watchedIds.includes(id) ?? false,
    }),
    [state, id],
  );

  if (missing) {
    return <NotFound title="We don’t have that film">There is no film with this address in the catalogue; the link may be mistyped or old.</NotFound>;
  }
  if (movie.error) {
    return (
      <div className="page narrow">
        <h1>Film</h1>
        <ErrorBox error={movie.error} onRetry={() => void movie.refetch()} />
        <p>
          <Link to="/search">Search the catalogue</Link>
        </p>
      </div>
    );
  }
  if (!m) {
    return (
      <div className="page film-page">
        <div className="film-hero">
          <div className="skeleton poster-skeleton large" aria-hidden="true" />
          <div className="film-info">
            <SkeletonText lines={6} />
          </div>
        </div>
      </div>
    );
  }
  const card = {
    id: m.id,
    title: m.title,
    year: m.year,
    genres: m.genres,
    runtime: m.runtime,
    voteAverage: m.voteAverage,
    rating: m.rating,
    voteCount: m.voteCount,
    popularityPercentile: m.popularityPercentile,
  };
  const facts: [string, ReactNode][] = [
    ['Released', m.releaseDate ?? (m.year ? String(m.year) : null)],
    ['Runtime', runtimeText(m.runtime)],
    ['Language', languageName(m.originalLanguage)],
    [m.directors.length > 1 ? 'Directors' : 'Director', m.directors.length ? <PeopleLinks people={m.directors} /> : null],
    ['Companies', m.companies.join(', ') || null],
    ['Countries', m.countries.join(', ') || null],
  ];
  return (
    <div className="page film-page">
      <div className="film-hero">
        <Poster id={m.id} title={m.title} year={m.year} genres={m.genres} size="large" />
        <div className="film-info">
          <h1>
            {m.title} {m.year ? <span className="muted">({m.year})</span> : null}
          </h1>
          {m.originalTitle && m.originalTitle !== m.title ? <p className="muted">Original title: {m.originalTitle}</p> : null}
          {m.tagline ? <p className="tagline">{m.tagline}</p> : null}
          <p className="card-genres">{m.genres.join(' · ')}</p>
          <p className="card-stats">
            ★ {m.voteAverage.toFixed(1)}
            <span className="muted">/10 from {countText(m.voteCount)} votes</span> · {popularityText(m.popularityPercentile, m.voteCount)}
          </p>
          {!signedIn ? (
            <div className="film-actions signed-out-actions">
              <SignInLink className="button button-primary">Sign in to rate</SignInLink>
              <p className="hint">…and to keep favourites, a watchlist, and hide films you don’t want recommended.</p>
            </div>
          ) : (
          <div className="film-actions">
            <StarRating
              label={`Your rating of ${m.title}`}
              value={ratingOf(state, m.id)}
              onChange={(v) =>
                run(v === null ? { kind: 'clearRating', movieId: m.id } : { kind: 'rate', movieId: m.id, value: v, movie: card }, zone)
              }
            />
            <div className="toggle-row">
              <button
                type="button"
                className="toggle"
                aria-pressed={flags.favourite}
                onClick={() => run({ kind: 'favorite', movieId: m.id, on: !flags.favourite }, zone)}
              >
                <span aria-hidden="true">{flags.favourite ? '♥' : '♡'}</span> Favourite
              </button>
              <button
                type="button"
                className="toggle"
                aria-pressed={flags.watchlist}
                onClick={() => run({ kind: 'watchlist', movieId: m.id, on: !flags.watchlist, movie: card }, zone)}
              >
                <span aria-hidden="true">{flags.watchlist ? '✓' : '+'}</span> Watchlist
              </button>
              <button
                type="button"
                className="toggle"
                aria-pressed={flags.dismissed}
                onClick={() => run({ kind: 'dismiss', movieId: m.id, on: !flags.dismissed }, zone)}
              >
                <span aria-hidden="true">⊘</span> Not interested
              </button>
              {/* the API cannot unmark a watched film: once seen, this says so and stays */}
              <button
                type="button"
                className="toggle"
                aria-pressed={flags.watched}
                disabled={flags.watched}
                onClick={() => run({ kind: 'watched', movieId: m.id }, zone)}
              >
                <span aria-hidden="true">{flags.watched ? '✓' : '◉'}</span> {flags.watched ? 'Seen' : 'Seen it'}
              </button>
            </div>
            {flags.dismissed ? <p className="hint">We won’t recommend this film again.</p> : null}
          </div>
          )}
          {m.overview ? <p className="overview">{m.overview}</p> : null}
          <dl className="facts">
            {facts
              .filter((f) => f[1] !== null)
              .map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
          </dl>
          {m.cast.length > 0 ? (
            <div className="cast">
              <h2 className="h-small">Cast</h2>
              <p>
                <PeopleLinks people={m.cast.slice(0, 12)} />
              </p>
            </div>
          ) : null}
        </div>
      </div>
      <MoreLikeThis movieId={m.id} key={`similar-${m.id}`} />
      <GemsTwin movieId={m.id} key={`gems-${m.id}`} />
      {signedIn ? (
        <Comments movieId={m.id} />
      ) : (
        <section className="comments" aria-labelledby="comments-signed-out">
          <h2 id="comments-signed-out">Comments</h2>
          <p className="empty">
            <SignInLink className="">Sign in to read and write comments</SignInLink>
          </p>
        </section>
      )}
    </div>
  );
}
