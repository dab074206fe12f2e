import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { Link, Navigate, useLocation, useParams } from 'react-router';
import type { GraphQLClient } from '../api/client';
import { ApiError } from '../api/errors';
import { EveningDocument, GuestOnboardingDocument, GuestRateDocument, VoteOnPickDocument } from '../api/operations';
import { api, freshAccessToken } from '../api/session';
import { useAuth } from '../auth/AuthProvider';
import { authPath } from '../auth/next';
import { ErrorBox } from '../components/ErrorBox';
import { ReasonList } from '../components/Reasons';
import { SkeletonCards } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import type { EveningFieldsFragment, EveningVote } from '../gql/graphql';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { GUEST_QUICK_RATINGS, nextVote, shareUrl, VOTE_LABEL, voteSummary, type Pick } from '../tonight/evening';
import { guestClient, loadGuest, saveGuest, type GuestSession } from '../tonight/guest';
import { eveningKey, useEveningLive, type LiveState } from '../tonight/live';
import { Qr } from '../tonight/Qr';
import NotFound from './NotFound';

const VOTES: EveningVote[] = ['YES', 'NO', 'SEEN'];

/** `/tonight/:id`: one evening, for its members (signed in) and its guests (their own session). */
export default function EveningPage() {
  const { id = '' } = useParams();
  const { signedIn } = useAuth();
  const location = useLocation();
  const [guest, setGuest] = useState<GuestSession | null>(() => loadGuest(id));
  if (!guest && !signedIn) return <Navigate to={authPath(location.pathname)} replace />;
  if (guest && guest.rated < GUEST_QUICK_RATINGS) {
    return (
      <QuickStart
        guest={guest}
        done={(rated) => {
          const next = { ...guest, rated: Math.max(rated, GUEST_QUICK_RATINGS) };
          saveGuest(next);
          setGuest(next);
        }}
      />
    );
  }
  return <Evening id={id} client={guest ? guestClient(id) : api} guest={guest} />;
}

function Evening({ id, client, guest }: { id: string; client: GraphQLClient; guest: GuestSession | null }) {
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: eveningKey(id),
    queryFn: async ({ signal }) => (await client.request(EveningDocument, { id }, { signal })).evening,
    retry: (n, e) => !(e instanceof ApiError && ['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT'].includes(e.code)) && n < 2,
  });
  const token = useCallback(
    async () => (guest ? (loadGuest(id)?.accessToken ?? null) : freshAccessToken()),
    [guest, id],
  );
  const live = useEveningLive(id, token, query.isSuccess);
  useDocumentTitle('Tonight');
  const vote = useMutation({
    mutationFn: (v: { movieId: string; vote: EveningVote | null }) =>
      client.request(VoteOnPickDocument, { eveningId: id, movieId: v.movieId, vote: v.vote }),
    onSuccess: (data) =>
      qc.setQueryData<EveningFieldsFragment>(eveningKey(id), (prev) =>
        prev && prev.version > data.voteOnPick.version ? prev : data.voteOnPick,
      ),
  });
  if (query.error) {
    if (query.error instanceof ApiError && query.error.code === 'NOT_FOUND') {
      return <NotFound title="This evening has ended">Evenings and their links last 12 hours. Start a new one from Tonight.</NotFound>;
    }
    if (query.error instanceof ApiError && (query.error.code === 'FORBIDDEN' || query.error.code === 'BAD_USER_INPUT')) {
      return <NotFound title="This is not your evening">Open the link you were sent to join it.</NotFound>;
    }
    return (
      <div className="page">
        <ErrorBox error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  if (!query.data) {
    return (
      <div className="page">
        <SkeletonCards count={6} />
      </div>
    );
  }
  const ev = query.data;
  const match = ev.picks.find((p) => p.match);
  return (
    <div className="page evening">
      <div className="page-head">
        <h1 tabIndex={-1}>Tonight{ev.mood ? <span className="muted">: {ev.mood}</span> : null}</h1>
        <p className="lede">
          One list for all of you. A no or a seen takes a film off for everyone; a yes lifts it; a film you all say yes to is your match.
        </p>
        <Members ev={ev} live={live} />
      </div>
      <div className="match-slot" role="status" aria-live="polite">
        {match ? (
          <p className="match-banner" data-testid="match">
            It’s a match: <Link to={`/film/${match.recommendation.movie.id}`}>{match.recommendation.movie.title}</Link>
            {match.recommendation.movie.year ? ` (${match.recommendation.movie.year})` : ''}. Enjoy the film!
          </p>
        ) : null}
      </div>
      <Share joinPath={ev.joinPath} full={ev.members.length >= 8} />
      <h2 className="h-small">Picks for all of you</h2>
      {ev.picks.length === 0 ? (
        <p>No picks yet: rate a few films so the evening knows your taste, or take back a no.</p>
      ) : (
        <ol className="evening-picks">
          {ev.picks.map((p) => (
            <PickCard key={p.recommendation.movie.id} pick={p} busy={vote.isPending} onVote={(v) => vote.mutate({ movieId: p.recommendation.movie.id, vote: v })} />
          ))}
        </ol>
      )}
      {vote.error ? <ErrorBox error={vote.error} what="Your vote was not saved." /> : null}
    </div>
  );
}

function Members({ ev, live }: { ev: EveningFieldsFragment; live: LiveState }) {
  return (
    <div className="evening-members">
      <ul aria-label="Who is in">
        {ev.members.map((m) => (
          <li key={m.user.id} className="chip">
            {m.name}
            {m.user.id === ev.me?.user.id ? ' (you)' : ''}
            {m.host ? ' · host' : m.guest ? ' · guest' : ''}
          </li>
        ))}
      </ul>
      <span className={`live-state live-${live}`} data-testid="live-state">
        {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
      </span>
    </div>
  );
}

function Share({ joinPath, full }: { joinPath: string; full: boolean }) {
  const url = shareUrl(joinPath);
  const toast = useToast();
  const [showQr, setShowQr] = useState(false);
  if (full) return null;
  return (
    <section className="panel share" aria-labelledby="share-title">
      <h2 id="share-title" className="h-small">
        Invite someone
      </h2>
      <p>Send this link, or let them scan the code. They can join without an account.</p>
      <div className="share-row">
        <input className="share-link" readOnly value={url} aria-label="Evening link" onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard
              ?.writeText(url)
              .then(() => toast.info('Link copied.'))
              .catch(() => toast.error('Copying is not allowed here; select the link and copy it.'))
          }
        >
          Copy link
        </button>
        <button type="button" className="button button-quiet" aria-expanded={showQr} onClick={() => setShowQr((s) => !s)}>
          {showQr ? 'Hide QR code' : 'Show QR code'}
        </button>
      </div>
      {showQr ? <Qr text={url} label="QR code of the evening link" /> : null}
    </section>
  );
}

function PickCard({ pick, busy, onVote }: { pick: Pick; busy: boolean; onVote: (v: EveningVote | null) => void }) {
  const m = pick.recommendation.movie;
  const summary = voteSummary(pick);
  return (
    <li className={`evening-pick${pick.match ? ' is-match' : ''}`} data-testid="evening-pick" data-movie-id={m.id}>
      <h3 className="h-small">
        <Link to={`/film/${m.id}`}>{m.title}</Link> {m.year ? <span className="muted">{m.year}</span> : null}
      </h3>
      <p className="muted">{m.genres.slice(0, 3).join(' · ')}</p>
      <ReasonList reasons={pick.recommendation.reasons.slice(0, 2)} />
      {summary ? <p className="vote-summary">{summary}</p> : null}
      <div className="vote-buttons" role="group" aria-label={`Your vote on ${m.title}`}>
        {VOTES.map((v) => (
          <button
            key={v}
            type="button"
            className={`button vote-${v.toLowerCase()}`}
            aria-pressed={pick.myVote === v}
            disabled={busy}
            onClick={() => onVote(nextVote(pick.myVote, v))}
          >
            {VOTE_LABEL[v]}
          </button>
        ))}
      </div>
    </li>
  );
}

const QUICK: { label: string; value: number }[] = [
  { label: 'Loved it', value: 5 },
  { label: 'Liked it', value: 3.5 },
  { label: 'Not for me', value: 1.5 },
];

/** A guest's first step: rate five well-known films, so the evening's list knows their taste too. */
function QuickStart({ guest, done }: { guest: GuestSession; done: (rated: number) => void }) {
  useDocumentTitle('Tonight');
  const client = guestClient(guest.eveningId);
  const films = useQuery({
    queryKey: ['guestOnboarding', guest.eveningId],
    queryFn: async ({ signal }) => (await client.request(GuestOnboardingDocument, { first: 16 }, { signal })).onboarding,
  });
  const [handled, setHandled] = useState<Record<string, string>>({});
  const rated = useMemo(() => Object.values(handled).filter((h) => h !== 'skip').length, [handled]);
  const rate = useMutation({
    mutationFn: (v: { movieId: string; value: number }) => client.request(GuestRateDocument, v),
    onSuccess: (_d, v) => setHandled((h) => ({ ...h, [v.movieId]: 'rated' })),
  });
  const left = (films.data ?? []).filter((r) => !handled[r.movie.id]);
  return (
    <div className="page narrow">
      <h1 tabIndex={-1}>Hi {guest.name}! Five quick films</h1>
      <p className="lede">Say what you thought of a few well-known films, so tonight’s list fits you too. Skip the ones you haven’t seen.</p>
      <div className="progress-line" role="status">
        <progress max={GUEST_QUICK_RATINGS} value={Math.min(rated, GUEST_QUICK_RATINGS)} aria-label="Films rated" />
        <span>
          {rated} of {GUEST_QUICK_RATINGS} rated
        </span>
        <button type="button" className={`button ${rated >= GUEST_QUICK_RATINGS ? 'button-primary' : 'button-quiet'}`} onClick={() => done(rated)}>
          {rated >= GUEST_QUICK_RATINGS ? 'See tonight’s picks' : 'Skip to the picks'}
        </button>
      </div>
      {films.error ? <ErrorBox error={films.error} onRetry={() => void films.refetch()} /> : null}
      {rate.error ? <ErrorBox error={rate.error} what="That rating was not saved." /> : null}
      {films.isPending ? <SkeletonCards count={5} /> : null}
      <ul className="quick-rate">
        {left.slice(0, 5).map((r) => (
          <li key={r.movie.id} data-testid="quick-film">
            <p>
              <strong>{r.movie.title}</strong> {r.movie.year ? <span className="muted">{r.movie.year}</span> : null}
              <span className="muted"> · {r.movie.genres.slice(0, 2).join(', ')}</span>
            </p>
            <div className="vote-buttons" role="group" aria-label={`What you thought of ${r.movie.title}`}>
              {QUICK.map((q) => (
                <button key={q.label} type="button" className="button" disabled={rate.isPending} onClick={() => rate.mutate({ movieId: r.movie.id, value: q.value })}>
                  {q.label}
                </button>
              ))}
              <button type="button" className="button button-quiet" onClick={() => setHandled((h) => ({ ...h, [r.movie.id]: 'skip' }))}>
                Haven’t seen it
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
