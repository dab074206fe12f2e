import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { forYouQuery, hiddenGemsQuery, similarQuery, togetherQuery, vibeQuery } from '../api/queries';
import { useMe } from '../auth/AuthProvider';
import { VibeLength } from '../components/VibeLength';
import { VibeNotUnderstood } from '../components/VibeNotUnderstood';
import { ZoneRow } from '../components/ZoneRow';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { forYouDescription, lastFavourite, ONBOARDING_TARGET } from '../lib/userState';
import { vibeTooLong } from '../lib/vibeText';

const VIBE_KEY = 'movierec.lastVibe';


function VibeBox() {
  const [text, setText] = useState(() => localStorage.getItem(VIBE_KEY) ?? '');
  const [asked, setAsked] = useState(text);
  const query = useQuery({ ...vibeQuery(asked), placeholderData: keepPreviousData });
  const reading = query.data?.reading;
  function askFor(t: string) {
    localStorage.setItem(VIBE_KEY, t);
    setText(t);
    setAsked(t);
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const t = text.trim();
    if (t && !vibeTooLong(t)) askFor(t); // too long: the box says so, nothing is sent
  }
  return (
    <ZoneRow
      title="Vibe box"
      description="Describe the mood; we match it against every film’s story."
      query={{ ...query, data: query.data?.picks }}
      idle={<p className="empty">Try “slow-burn sci-fi with a twist, not too long”.</p>}
      empty={
        reading && !reading.confident ? (
          <VibeNotUnderstood reading={reading} onTry={askFor} />
        ) : (
          'No film matches that mood yet; try other words.'
        )
      }
    >
      <form className="inline-form" onSubmit={onSubmit} role="search" aria-label="Vibe box">
        <label htmlFor="home-vibe" className="visually-hidden">
          Describe tonight’s mood
        </label>
        <input
          id="home-vibe"
          value={text}
          placeholder="slow-burn sci-fi with a twist, not too long"
          aria-describedby="home-vibe-length"
          aria-invalid={vibeTooLong(text) || undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button">
          Match the vibe
        </button>
        <VibeLength text={text} id="home-vibe-length" />
      </form>
    </ZoneRow>
  );
}

export default function Home() {
  useDocumentTitle('Home');
  const me = useMe();
  const state = me.data?.state;
  const forYou = useQuery(forYouQuery());
  const gems = useQuery(hiddenGemsQuery());
  const anchor = lastFavourite(state);
  const similar = useQuery({ ...similarQuery(anchor?.movieId ?? ''), enabled: anchor !== null });
  const partners = me.data?.partners ?? [];
  const partnerIds = partners.map((p) => p.user.id);
  const together = useQuery(togetherQuery(partnerIds));
  const ratingCount = state?.ratings.length ?? 0;

  return (
    <div className="page home">
      <h1 className="visually-hidden">Your recommendations</h1>
      {me.data && ratingCount < ONBOARDING_TARGET ? (
        <div className="banner">
          <p>
            {ratingCount === 0
              ? 'Rate a handful of films you’ve seen and For you will start to fit your taste.'
              : `You’ve rated ${ratingCount} film${ratingCount === 1 ? '' : 's'}; rate ${ONBOARDING_TARGET - ratingCount} more to tune For you.`}
          </p>
          <Link to="/start" className="button button-primary">
            Rate some films
          </Link>
        </div>
      ) : null}
      <ZoneRow
        title="For you"
        description={forYouDescription(state ? state.ratings.length : null)}
        query={forYou}
        empty="Nothing new to suggest; rate a few more films."
      />
      {partners.length > 0 ? (
        <ZoneRow
          title={<Link to="/together">Together</Link>}
          label="Together"
          description={`For you and ${partners.map((p) => p.user.username).join(', ')}.`}
          query={together}
          empty="No film fits everyone yet; rate a few more, both of you."
        />
      ) : null}
      <ZoneRow
        title="Hidden gems"
        description="Lesser-known films close to your taste."
        query={gems}
        empty="No hidden gems for now; rate a few films first."
      />
      {anchor ? (
        <ZoneRow
          title={
            <>
              More like{' '}
              {anchor.title ? <Link to={`/film/${anchor.movieId}`}>{anchor.title}</Link> : 'your last favourite'}
            </>
          }
          label={`More like ${anchor.title ?? 'your last favourite'}`}
          description="Your last favourite, by story, people, style and genre."
          query={similar}
        />
      ) : me.data ? (
        <section className="zone">
          <div className="zone-head">
            <h2>More like your last favourite</h2>
          </div>
          <p className="empty">Mark a film as a favourite (or rate one 4 stars or more) and films like it show up here.</p>
        </section>
      ) : null}
      <VibeBox />
    </div>
  );
}
