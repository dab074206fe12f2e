import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { describeError } from '../api/errors';
import { AcceptInviteDocument, CreateInviteDocument, UnlinkPartnerDocument } from '../api/operations';
import { keys, togetherQuery, togetherWithMoodQuery } from '../api/queries';
import { api } from '../api/session';
import { useMe } from '../auth/AuthProvider';
import { ErrorBox } from '../components/ErrorBox';
import { SkeletonText } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { VibeNotUnderstood, VibeReadAs } from '../components/VibeNotUnderstood';
import { VibeLength } from '../components/VibeLength';
import { ZoneRow } from '../components/ZoneRow';
import { dateText } from '../lib/format';
import { RetryKey } from '../lib/idempotency';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { vibeTooLong, vibeTooLongMessage } from '../lib/vibeText';

function Invite() {
  // Pressing again after an error sends the same key: a code made by a call whose answer was lost is the
  // one shown, instead of a second open invite (lib/idempotency.ts).
  const [retryKey] = useState(() => new RetryKey<'invite'>());
  const create = useMutation({
    mutationFn: () => api.request(CreateInviteDocument, { idempotencyKey: retryKey.for('invite') }),
    onSuccess: () => retryKey.done(),
  });
  const toast = useToast();
  const invite = create.data?.createInvite;
  return (
    <div className="panel">
      <h2 className="h-small">Invite your partner</h2>
      <p>Make a code and send it to them; it works once, for 24 hours.</p>
      <button type="button" className="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Create invite code
      </button>
      {create.error ? <ErrorBox error={create.error} /> : null}
      {invite ? (
        <p className="invite-code" role="status">
          Your code: <code data-testid="invite-code">{invite.code}</code>{' '}
          <span className="muted">(valid until {new Date(invite.expiresAt).toLocaleString('en')})</span>{' '}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              navigator.clipboard
                ?.writeText(invite.code)
                .then(() => toast.info('Code copied.'))
                .catch(() => toast.error('Copying is not allowed here; select the code and copy it.'))
            }
          >
            Copy
          </button>
        </p>
      ) : null}
    </div>
  );
}

function Accept() {
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const accept = useMutation({
    mutationFn: (c: string) => api.request(AcceptInviteDocument, { code: c }),
    onSuccess: () => {
      setCode('');
      void qc.invalidateQueries({ queryKey: keys.me });
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (code.trim()) accept.mutate(code.trim());
  }
  return (
    <form className="panel" onSubmit={onSubmit}>
      <h2 className="h-small">Have a code?</h2>
      <div className="field">
        <label htmlFor="invite-code">Invite code</label>
        <div className="search-bar">
          <input id="invite-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} />
          <button type="submit" className="button button-primary" disabled={accept.isPending}>
            Link partner
          </button>
        </div>
      </div>
      {accept.error ? <ErrorBox error={accept.error} /> : null}
      {accept.data ? <p role="status">You’re now linked with {accept.data.acceptInvite.user.username}.</p> : null}
    </form>
  );
}

/** An optional mood for the shared list, read as Vibe reads a text; empty asks for any mood. */
function MoodBox({ mood, onAsk }: { mood: string; onAsk: (text: string) => void }) {
  const [text, setText] = useState(mood);
  useEffect(() => setText(mood), [mood]);
  const over = vibeTooLong(text);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!over) onAsk(text.trim()); // over the limit: the counter below says why nothing is asked
  }
  return (
    <form className="vibe-form" onSubmit={onSubmit} aria-label="Mood">
      <label htmlFor="together-mood">In the mood for (optional)</label>
      <div className="search-bar">
        <input
          id="together-mood"
          value={text}
          aria-describedby="together-mood-length"
          aria-invalid={over || undefined}
          placeholder="cosy feel-good comedy for a rainy Sunday"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          Find films
        </button>
        {mood ? (
          <button type="button" className="button" onClick={() => onAsk('')}>
            Any mood
          </button>
        ) : null}
      </div>
      <VibeLength text={text} id="together-mood-length" />
    </form>
  );
}

export default function Together() {
  useDocumentTitle('Together');
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const partners = me.data?.partners ?? [];
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const watching = partners.filter((p) => !excluded.has(p.user.id)).map((p) => p.user.id);
  const [params, setParams] = useSearchParams();
  const mood = (params.get('mood') ?? '').trim();
  const plain = useQuery({ ...togetherQuery(watching), enabled: !mood && watching.length > 0 });
  const inMood = useQuery({ ...togetherWithMoodQuery(watching, mood), placeholderData: keepPreviousData });
  const reading = mood ? inMood.data?.reading : undefined;
  const list = mood
    ? {
        data: inMood.data?.picks,
        error: inMood.error,
        isPending: inMood.isPending,
        isFetching: inMood.isFetching,
        isPlaceholderData: inMood.isPlaceholderData,
        fetchStatus: inMood.fetchStatus,
        refetch: inMood.refetch,
      }
    : plain;
  const ask = (text: string) => setParams(text ? { mood: text } : {});
  const unlink = useMutation({
    mutationFn: (userId: string) => api.request(UnlinkPartnerDocument, { userId }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.me }),
    onError: (e) => toast.error(`The partner wasn't unlinked. ${describeError(e)}`),
  });

  return (
    <div className="page">
      <h1>Together</h1>
      <p className="lede">One list for everyone watching tonight, and who each film suits.</p>
      {me.error ? <ErrorBox error={me.error} onRetry={() => void me.refetch()} /> : null}
      {me.isPending ? (
        <SkeletonText lines={3} />
      ) : partners.length > 0 ? (
        <fieldset className="panel who">
          <legend>Who’s watching tonight?</legend>
          <label className="check-chip">
            <input type="checkbox" checked disabled />
            <span>{me.data?.username} (you)</span>
          </label>
          {partners.map((p) => (
            <span key={p.user.id} className="partner">
              <label className="check-chip">
                <input
                  type="checkbox"
                  checked={!excluded.has(p.user.id)}
                  onChange={(e) =>
                    setExcluded((s) => {
                      const n = new Set(s);
                      if (e.target.checked) n.delete(p.user.id);
                      else n.add(p.user.id);
                      return n;
                    })
                  }
                />
                <span>{p.user.username}</span>
              </label>
              <span className="muted"> linked {dateText(p.linkedAt)} </span>
              <button
                type="button"
                className="link-button danger"
                onClick={() => {
                  if (window.confirm(`Unlink ${p.user.username}? You can link again with a new code.`)) unlink.mutate(p.user.id);
                }}
              >
                Unlink
              </button>
            </span>
          ))}
        </fieldset>
      ) : (
        <p className="empty">No partner linked yet. Invite them below, or enter the code they sent you.</p>
      )}
      {partners.length > 0 ? (
        <ZoneRow
          title={mood ? `Tonight, together: “${mood}”` : 'Tonight, together'}
          description="Each card says how well it fits each of you: “top 5%” means a better fit for them than 95% of the catalogue. Rating or dismissing a film here updates this list."
          query={list}
          layout="grid"
          showRating
          idle={<p className="empty">Tick at least one partner to get a shared list.</p>}
          blocked={
            vibeTooLong(mood) ? (
              <p className="field-error" role="status">
                {vibeTooLongMessage(mood)}
              </p>
            ) : reading && !reading.confident ? (
              <VibeNotUnderstood reading={reading} onTry={ask} />
            ) : undefined
          }
          empty={
            mood
              ? 'No film you have not seen matches that mood for all of you; try other words.'
              : 'Nothing to suggest for all of you yet; rate a few more films, each of you.'
          }
        >
          <MoodBox mood={mood} onAsk={ask} />
          {reading ? <VibeReadAs reading={reading} /> : null}
        </ZoneRow>
      ) : null}
      <div className="panels">
        <Invite />
        <Accept />
      </div>
    </div>
  );
}
