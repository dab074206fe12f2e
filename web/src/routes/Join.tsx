import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/errors';
import { EveningInviteDocument, JoinEveningAsGuestDocument, JoinEveningDocument } from '../api/operations';
import { api } from '../api/session';
import { useAuth } from '../auth/AuthProvider';
import { authPath } from '../auth/next';
import { ErrorBox } from '../components/ErrorBox';
import { SkeletonText } from '../components/Skeleton';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { loadGuest, saveGuest } from '../tonight/guest';
import NotFound from './NotFound';

/** `/join/:token`: an evening's share link. Signed in: join with the account; otherwise as a guest. */
export default function Join() {
  useDocumentTitle('Join an evening');
  const { token = '' } = useParams();
  const { session } = useAuth();
  const navigate = useNavigate();
  const invite = useQuery({
    queryKey: ['eveningInvite', token],
    queryFn: async ({ signal }) => (await api.request(EveningInviteDocument, { token }, { signal, auth: false })).eveningInvite,
    retry: false,
  });
  const join = useMutation({
    mutationFn: () => api.request(JoinEveningDocument, { token }),
    onSuccess: (data) => void navigate(`/tonight/${data.joinEvening.id}`),
  });
  const [name, setName] = useState('');
  const asGuest = useMutation({
    mutationFn: (n: string) => api.request(JoinEveningAsGuestDocument, { token, name: n }, { auth: false }),
    onSuccess: (data) => {
      const g = data.joinEveningAsGuest;
      saveGuest({
        eveningId: g.evening.id,
        accessToken: g.accessToken,
        accessTokenExpiresAt: g.accessTokenExpiresAt,
        userId: g.user.id,
        name: g.user.username,
        rated: 0,
      });
      void navigate(`/tonight/${g.evening.id}`);
    },
  });
  if (invite.error) {
    if (invite.error instanceof ApiError && (invite.error.code === 'NOT_FOUND' || invite.error.code === 'BAD_USER_INPUT')) {
      return <NotFound title="This evening link no longer works">The evening has ended or the link is incomplete. Ask for a new link.</NotFound>;
    }
    return (
      <div className="page narrow">
        <ErrorBox error={invite.error} onRetry={() => void invite.refetch()} />
      </div>
    );
  }
  if (!invite.data) {
    return (
      <div className="page narrow">
        <SkeletonText lines={3} />
      </div>
    );
  }
  const inv = invite.data;
  const already = loadGuest(inv.eveningId);
  const full = inv.memberCount >= inv.maxMembers;
  function onGuest(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) asGuest.mutate(name.trim());
  }
  return (
    <div className="page narrow">
      <h1 tabIndex={-1}>{inv.hostName} invites you to pick a film together</h1>
      <p className="lede">
        {inv.mood ? <>In the mood for “{inv.mood}”. </> : null}
        {inv.memberCount} {inv.memberCount === 1 ? 'person is' : 'people are'} in. You’ll see one list that fits all of you and say yes, no
        or seen to each film; the first film everyone says yes to is the match.
      </p>
      {already ? (
        <p>
          <Link className="button button-primary" to={`/tonight/${inv.eveningId}`}>
            Back to the evening as {already.name}
          </Link>
        </p>
      ) : full ? (
        <p role="status">This evening is full ({inv.maxMembers} people).</p>
      ) : session ? (
        <div className="panel">
          <button type="button" className="button button-primary" onClick={() => join.mutate()} disabled={join.isPending}>
            Join as {session.username}
          </button>
          {join.error ? <ErrorBox error={join.error} /> : null}
        </div>
      ) : (
        <>
          <form className="panel" onSubmit={onGuest}>
            <h2 className="h-small">Join as a guest</h2>
            <div className="field">
              <label htmlFor="guest-name">Your name</label>
              <input id="guest-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={24} autoComplete="given-name" required />
            </div>
            <p className="muted">No account needed. What you rate is kept for this evening only and deleted when it ends.</p>
            <button type="submit" className="button button-primary" disabled={asGuest.isPending || !name.trim()}>
              Join the evening
            </button>
            {asGuest.error ? <ErrorBox error={asGuest.error} /> : null}
          </form>
          <p>
            Have an account? <Link to={authPath(`/join/${token}`)}>Log in to join with it</Link> (your ratings make the picks better).
          </p>
        </>
      )}
    </div>
  );
}
