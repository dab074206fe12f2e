import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { hiddenGemsQuery, searchQuery } from '../api/queries';
import { ErrorBox } from '../components/ErrorBox';
import { SkeletonText } from '../components/Skeleton';
import { VibeLength } from '../components/VibeLength';
import { ZoneRow } from '../components/ZoneRow';
import { useDebounced } from '../lib/useDebounced';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { vibeTooLong } from '../lib/vibeText';

/** Well-known films the signed-out Hidden gems start from, resolved by title (ids differ between catalogues). */
export const GEM_ANCHORS = ['The Godfather', 'Spirited Away', 'Pulp Fiction'] as const;

/** The film a title stands for: the exact title if the search has it, else its first result. */
function useAnchor(title: string) {
  const search = useInfiniteQuery(searchQuery(title, null, null));
  const films = search.data?.pages[0]?.edges.map((e) => e.node) ?? [];
  const film = films.find((f) => f.title.toLowerCase() === title.toLowerCase()) ?? films[0] ?? null;
  return { film, search };
}

function LandingVibe() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const t = text.trim();
    if (t && !vibeTooLong(t)) void navigate(`/vibe?q=${encodeURIComponent(t)}`);
  }
  return (
    <section className="landing-step" aria-labelledby="landing-vibe">
      <h2 id="landing-vibe">Say the mood</h2>
      <form className="inline-form" onSubmit={onSubmit} role="search" aria-label="Vibe box">
        <label htmlFor="landing-vibe-text" className="visually-hidden">
          Describe tonight’s mood
        </label>
        <input
          id="landing-vibe-text"
          value={text}
          placeholder="slow-burn sci-fi with a twist, not too long"
          aria-describedby="landing-vibe-length"
          aria-invalid={vibeTooLong(text) || undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          Match the vibe
        </button>
        <VibeLength text={text} id="landing-vibe-length" />
      </form>
    </section>
  );
}

function LandingLikeThis() {
  const [text, setText] = useState('');
  const asked = useDebounced(text.trim(), 250);
  const search = useInfiniteQuery({ ...searchQuery(asked, null, null), enabled: asked.length >= 2, placeholderData: keepPreviousData });
  const films = asked.length >= 2 ? (search.data?.pages[0]?.edges.map((e) => e.node) ?? []).slice(0, 5) : [];
  return (
    <section className="landing-step" aria-labelledby="landing-like">
      <h2 id="landing-like">More like a film you love</h2>
      <div className="inline-form" role="search" aria-label="More like this">
        <label htmlFor="landing-like-text" className="visually-hidden">
          A film you love
        </label>
        <input
          id="landing-like-text"
          type="search"
          value={text}
          placeholder="Heat, Amélie, Alien…"
          onChange={(e) => setText(e.target.value)}
          aria-controls="landing-like-results"
        />
      </div>
      {search.error && asked.length >= 2 ? (
        <ErrorBox error={search.error} onRetry={() => void search.refetch()} />
      ) : (
        <ul id="landing-like-results" className="landing-picks" aria-label="Pick a film" aria-busy={search.isFetching}>
          {films.map((f) => (
            <li key={f.id}>
              <Link to={`/film/${f.id}`}>
                {f.title} {f.year ? <span className="muted">({f.year})</span> : null}
              </Link>
            </li>
          ))}
          {asked.length >= 2 && search.isSuccess && films.length === 0 ? <li className="muted">No film by that name.</li> : null}
        </ul>
      )}
      <p className="hint">Pick one: its page shows films like it, by story, people, style and genre.</p>
    </section>
  );
}

function LandingGems() {
  const [anchorTitle, setAnchorTitle] = useState<string>(GEM_ANCHORS[0]);
  const { film, search } = useAnchor(anchorTitle);
  const gems = useQuery({ ...hiddenGemsQuery(film?.id ?? null), enabled: film !== null });
  if (search.error) return <ErrorBox error={search.error} onRetry={() => void search.refetch()} what="Couldn't load hidden gems." />;
  return (
    <ZoneRow
      title="Hidden gems"
      description={
        film ? (
          <>
            Little-known, well-rated films close to <Link to={`/film/${film.id}`}>{film.title}</Link>.
          </>
        ) : (
          'Little-known, well-rated films close to a film you know.'
        )
      }
      query={gems}
      idle={search.isSuccess && !film ? <p className="empty">No film to start from.</p> : <SkeletonText lines={1} />}
      empty="No hidden gems close to that one; try another."
    >
      <p className="examples">
        Close to:{' '}
        {GEM_ANCHORS.map((t) => (
          <button key={t} type="button" className="chip-button" aria-pressed={t === anchorTitle} onClick={() => setAnchorTitle(t)}>
            {t}
          </button>
        ))}
      </p>
    </ZoneRow>
  );
}

/** `/` signed out: what movierec is, working without an account, then the invitation. */
export default function Landing() {
  useDocumentTitle(null);
  return (
    <div className="page landing">
      <header className="landing-hero">
        <h1>Find a film you’ll both enjoy tonight.</h1>
        <p className="lede">
          movierec recommends films from the mood you describe, the films you love, and the taste of everyone on the sofa. Try it: no
          account needed.
        </p>
      </header>
      <div className="landing-steps">
        <LandingVibe />
        <LandingLikeThis />
      </div>
      <LandingGems />
      <section className="landing-invite" aria-labelledby="landing-invite">
        <h2 id="landing-invite">Make it yours</h2>
        <p>
          Sign up and rate a few films: <strong>For you</strong> learns your taste, and <strong>Together</strong> finds films for you
          and whoever you watch with.
        </p>
        <p className="landing-invite-actions">
          <Link to="/register" className="button button-primary">
            Sign up, it’s free
          </Link>
          <Link to="/login" className="button button-quiet">
            Log in
          </Link>
        </p>
      </section>
    </div>
  );
}
