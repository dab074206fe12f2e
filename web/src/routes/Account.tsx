import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, describeError } from '../api/errors';
import { ChangePasswordDocument, DeleteAccountDocument, UnlinkPartnerDocument } from '../api/operations';
import { keys } from '../api/queries';
import { api } from '../api/session';
import { useAuth, useMe } from '../auth/AuthProvider';
import { ErrorBox } from '../components/ErrorBox';
import { SkeletonText } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import type { MeQuery } from '../gql/graphql';
import { dateText } from '../lib/format';
import { useDocumentTitle } from '../lib/useDocumentTitle';

type Me = NonNullable<MeQuery['me']>;
type Partner = { id: string; username: string };

/** A text input with its label and, when there is one, its error right under it (announced, and named by
 * aria-describedby so a screen reader reads it with the field). */
function Field({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  autoComplete,
  inputRef,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error: string | null;
  hint?: string;
  type?: 'text' | 'password';
  autoComplete: string;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        name={id}
        type={type}
        autoComplete={autoComplete}
        spellCheck={false}
        autoCapitalize="off"
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Partners() {
  const me = useMe();
  const qc = useQueryClient();
  const [asking, setAsking] = useState<Partner | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const unlinkRefs = useRef(new Map<string, HTMLButtonElement>());
  const unlink = useMutation({
    mutationFn: async (p: Partner) => {
      await api.request(UnlinkPartnerDocument, { userId: p.id });
      return p;
    },
    onSuccess: (p) => {
      qc.setQueryData<Me>(keys.me, (old) => (old ? { ...old, partners: old.partners.filter((x) => x.user.id !== p.id) } : old));
      void qc.invalidateQueries({ queryKey: keys.me });
      void qc.invalidateQueries({ queryKey: ['zone', 'together'] });
      setAsking(null);
      setDone(`${p.username} is unlinked. To link again, one of you makes a new invite code on the Together page.`);
      headingRef.current?.focus();
    },
  });
  // Asking: focus on the confirm button; cancelled: back on that partner's Unlink button (once it is rendered again).
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnTo.current) {
      unlinkRefs.current.get(returnTo.current)?.focus();
      returnTo.current = null;
    }
  }, [asking]);
  const cancel = () => {
    returnTo.current = asking?.id ?? null;
    setAsking(null);
    unlink.reset();
  };
  const partners = me.data?.partners ?? [];

  return (
    <section className="panel" aria-labelledby="account-partners">
      <h2 id="account-partners" ref={headingRef} tabIndex={-1}>
        Partners
      </h2>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      {me.error ? <ErrorBox error={me.error} onRetry={() => void me.refetch()} /> : null}
      {me.isPending ? (
        <SkeletonText lines={2} />
      ) : partners.length === 0 ? (
        <p className="empty">
          No partner linked. Invite someone from the <Link to="/together">Together</Link> page.
        </p>
      ) : (
        <ul className="account-partners">
          {partners.map((p) => (
            <li key={p.user.id}>
              <span>
                <strong>{p.user.username}</strong> <span className="muted">linked {dateText(p.linkedAt)}</span>
              </span>
              {asking?.id === p.user.id ? (
                <div className="confirm" role="group" aria-labelledby={`unlink-q-${p.user.id}`}>
                  <p id={`unlink-q-${p.user.id}`}>
                    Unlink {p.user.username}? Neither of you will see the other in Together any more.
                  </p>
                  <div className="row-buttons">
                    <button
                      ref={confirmRef}
                      type="button"
                      className="button button-primary"
                      disabled={unlink.isPending}
                      onClick={() => unlink.mutate({ id: p.user.id, username: p.user.username })}
                    >
                      Yes, unlink {p.user.username}
                    </button>
                    <button type="button" className="button" onClick={cancel}>
                      Cancel
                    </button>
                  </div>
                  {unlink.error ? (
                    <p className="form-error" role="alert">
                      {p.user.username} wasn’t unlinked. {describeError(unlink.error)}
                    </p>
                  ) : null}
                </div>
              ) : (
                <button
                  ref={(el) => {
                    if (el) unlinkRefs.current.set(p.user.id, el);
                    else unlinkRefs.current.delete(p.user.id);
                  }}
                  type="button"
                  className="button"
                  aria-label={`Unlink ${p.user.username}`}
                  onClick={() => {
                    unlink.reset();
                    setDone(null);
                    setAsking({ id: p.user.id, username: p.user.username });
                  }}
                >
                  Unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type PasswordField = 'current' | 'new' | 'confirm' | 'form';

/** Which field a change-password error belongs to: the users service answers a wrong current password
 * with FORBIDDEN and a new one against its policy (length, common, about the username) with BAD_USER_INPUT. */
export function passwordErrorField(error: unknown): PasswordField {
  if (error instanceof ApiError && error.code === 'FORBIDDEN') return 'current';
  if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') return 'new';
  return 'form';
}

function ChangePassword() {
  const { session, login, logout } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<{ field: PasswordField; text: string } | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refs = {
    current: useRef<HTMLInputElement>(null),
    new: useRef<HTMLInputElement>(null),
    confirm: useRef<HTMLInputElement>(null),
  };
  const formErrorId = useId();

  useEffect(() => {
    if (error && error.field !== 'form') refs[error.field].current?.focus();
  }, [error]);

  const fail = (field: PasswordField, text: string) => {
    setError({ field, text });
    setBusy(false);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setOk(null);
    if (!current) return fail('current', 'Enter your current password.');
    if (!next) return fail('new', 'Enter a new password.');
    if (next !== confirm) return fail('confirm', 'This is not the same as the new password above.');
    setError(null);
    setBusy(true);
    try {
      await api.request(ChangePasswordDocument, { currentPassword: current, newPassword: next });
    } catch (err) {
      return fail(passwordErrorField(err), describeError(err));
    }
    // The change ends every session of the account, this one too (its refresh token is revoked): this device
    // logs in again with the new password so it stays signed in; the others have to log in again.
    try {
      if (session) await login(session.username, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setOk('Password changed. Other devices are signed out: they need the new password to log in again.');
    } catch {
      await logout().catch(() => undefined);
      void navigate('/login', { replace: true });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (f: PasswordField) => (error?.field === f ? error.text : null);
  return (
    <section className="panel" aria-labelledby="account-password">
      <h2 id="account-password">Change password</h2>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-describedby={error?.field === 'form' ? formErrorId : undefined}>
        <Field
          id="current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          error={fieldError('current')}
          inputRef={refs.current}
        />
        <Field
          id="new-password"
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={setNext}
          hint="8-256 characters, not a common password and not your username."
          error={fieldError('new')}
          inputRef={refs.new}
        />
        <Field
          id="confirm-password"
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={setConfirm}
          error={fieldError('confirm')}
          inputRef={refs.confirm}
        />
        {error?.field === 'form' ? (
          <p className="form-error" role="alert" id={formErrorId}>
            {error.text}
          </p>
        ) : null}
        {ok ? (
          <p className="notice" role="status">
            {ok}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

type DeleteField = 'password' | 'confirm' | 'form';

function DeleteAccount() {
  const { session, endSession } = useAuth();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<{ field: DeleteField; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const username = session?.username ?? '';

  useEffect(() => {
    if (error?.field === 'password') passwordRef.current?.focus();
    if (error?.field === 'confirm') confirmRef.current?.focus();
  }, [error]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (typed.trim() !== username) {
      setError({ field: 'confirm', text: `Type your username, ${username}, exactly.` });
      return;
    }
    if (!password) {
      setError({ field: 'password', text: 'Enter your password.' });
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await api.request(DeleteAccountDocument, { password });
    } catch (err) {
      const forbidden = err instanceof ApiError && err.code === 'FORBIDDEN';
      setError({ field: forbidden ? 'password' : 'form', text: describeError(err) });
      setBusy(false);
      return;
    }
    // Its sessions went with the account: nothing to tell the server, only this device to clear (its session,
    // cache and saved copy); RequireAuth then sends this page to the landing page, not the log-in page.
    endSession('/account', '/');
    toast.info(`The account ${username} and everything in it are deleted.`);
  }

  return (
    <section className="panel danger-zone" aria-labelledby="account-delete">
      <h2 id="account-delete">Delete account</h2>
      <p>
        This deletes your account with its ratings, lists, comments and partner links, for good, and signs you out
        everywhere. It can’t be undone.
      </p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field
          id="delete-confirm"
          label={`Type your username (${username}) to confirm`}
          autoComplete="off"
          value={typed}
          onChange={setTyped}
          error={error?.field === 'confirm' ? error.text : null}
          inputRef={confirmRef}
        />
        <Field
          id="delete-password"
          label="Your password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={error?.field === 'password' ? error.text : null}
          inputRef={passwordRef}
        />
        {error?.field === 'form' ? (
          <p className="form-error" role="alert">
            {error.text}
          </p>
        ) : null}
        <button type="submit" className="button button-danger" disabled={busy}>
          {busy ? 'Deleting…' : 'Delete my account'}
        </button>
      </form>
    </section>
  );
}

export default function Account() {
  const { session } = useAuth();
  useDocumentTitle('Account');
  return (
    <div className="page narrow">
      <h1>Account</h1>
      <p className="lede">Signed in as {session?.username}.</p>
      <Partners />
      <ChangePassword />
      <DeleteAccount />
    </div>
  );
}
