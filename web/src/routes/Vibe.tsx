import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { vibeQuery } from '../api/queries';
import { useMe } from '../auth/AuthProvider';
import { ErrorBox } from '../components/ErrorBox';
import { MovieCard } from '../components/MovieCard';
import { useHiddenIds } from '../lib/useHiddenIds';
import { ReasonList } from '../components/Reasons';
import { SkeletonCards } from '../components/Skeleton';
import { VibeLength } from '../components/VibeLength';
import { VibeNotUnderstood, VibeReadAs } from '../components/VibeNotUnderstood';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { ratingOf } from '../lib/userState';
import { vibeTooLong, vibeTooLongMessage } from '../lib/vibeText';

const EXAMPLES = [
  'slow-burn sci-fi with a twist, not too long',
  'cosy feel-good comedy for a rainy Sunday',
  'tense heist with a clever plan',
  'melancholic love story in a big city',
];

export default function Vibe() {
  useDocumentTitle('Vibe');
  const [params, setParams] = useSearchParams();
  const asked = params.get('q') ?? '';
  const [text, setText] = useState(asked);
  useEffect(() => setText(asked), [asked]);
  const query = useQuery({ ...vibeQuery(asked), placeholderData: keepPreviousData });
  const me = useMe();
  const hidden = useHiddenIds(); // dismissed and seen films leave the picks (the API leaves them out of fresh answers)
  const reading = query.data?.reading;
  const items = (query.data?.picks ?? []).filter((r) => !hidden.has(r.movie.id));

  function ask(t: string) {
    const v = t.trim();
    if (v && !vibeTooLong(v)) setParams({ q: v }); // too long: the box already says so, nothing is sent
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    ask(text);
  }
  return (
    <div className="page">
      <h1>What are you in the mood for?</h1>
      <form className="vibe-form" onSubmit={onSubmit} role="search" aria-label="Vibe">
        <label htmlFor="vibe-text">Describe the mood</label>
        <div className="search-bar">
          <input
            id="vibe-text"
            value={text}
            placeholder="slow-burn sci-fi with a twist, not too long"
            aria-describedby="vibe-text-length"
            aria-invalid={vibeTooLong(text) || undefined}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button button-primary">
            Find films
          </button>
        </div>
        <VibeLength text={text} id="vibe-text-length" />
        <p className="examples">
          Try:{' '}
          {EXAMPLES.map((x) => (
            <button key={x} type="button" className="chip-button" onClick={() => { setText(x); ask(x); }}>
              {x}
            </button>
          ))}
        </p>
      </form>
      {!asked ? null : vibeTooLong(asked) ? (
        text === asked ? null : ( // the same text is in the box, which says so already
          <p className="empty" role="status">
            {vibeTooLongMessage(asked)}
          </p>
        )
      ) : query.error && !query.data ? (
        <ErrorBox error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <SkeletonCards count={8} label="Finding films" />
      ) : reading && !reading.confident ? (
        <VibeNotUnderstood reading={reading} onTry={(t) => { setText(t); ask(t); }} />
      ) : items.length === 0 ? (
        <p className="empty">No film matches that mood; try other words.</p>
      ) : (
        <section aria-label="Films matching the mood">
          {reading && <VibeReadAs reading={reading} />}
          <ul className="vibe-results" aria-busy={query.isFetching}>
            {items.map((r) => (
              <li key={r.movie.id} className="vibe-result">
                <MovieCard headingLevel={2} movie={r.movie} zone={r.zone} dismissable showRating rating={ratingOf(me.data?.state, r.movie.id)} />
                <div className="vibe-why">
                  <h3 className="h-small">Why it matches</h3>
                  <ReasonList reasons={r.reasons} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
