import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { describeError } from '../api/errors';
import { useAuth } from '../auth/AuthProvider';
import { authPath, safeNext } from '../auth/next';
import { useDocumentTitle } from '../lib/useDocumentTitle';

/** `?next=` (or, from older links, router state), checked; "/" when absent or not a path on this site. */
function useNext(): string {
  const [params] = useSearchParams();
  const location = useLocation();
  const fromState = typeof location.state === 'object' && location.state !== null ? (location.state as { next?: unknown }).next : null;
  return safeNext(params.get('next') ?? fromState);
}

function AuthForm({ mode }: { mode: 'login' | 'register' }) {
  const auth = useAuth();
  const navigate = useNavigate();
  const next = useNext();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isLogin = mode === 'login';
  useDocumentTitle(isLogin ? 'Log in' : 'Sign up');

  if (auth.session && !busy) return <Navigate to={next} replace />;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (isLogin) await auth.login(username.trim(), password);
      else await auth.register(username.trim(), password);
      // A new account with nowhere to go back to starts with rating a few films.
      await navigate(isLogin || next !== '/' ? next : '/start', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
    // On success `busy` stays set: this form is leaving, and must not redirect elsewhere meanwhile.
  }

  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1>{isLogin ? 'Log in' : 'Sign up'}</h1>
        <p className="lede">
          {isLogin
            ? 'Welcome back. Tonight’s films are a click away.'
            : 'Make an account, rate a few films you know, and get recommendations for you and whoever you watch with.'}
        </p>
        {isLogin && auth.expiredNotice ? (
          <p className="notice" role="status">
            Your session ended. Log in again to carry on.
          </p>
        ) : null}
        <form onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="username">Username</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              required
              minLength={3}
              maxLength={32}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-describedby={isLogin ? undefined : 'username-hint'}
            />
            {isLogin ? null : (
              <p className="hint" id="username-hint">
                3-32 characters: letters, digits, “_”, “.” or “-”.
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete={isLogin ? 'current-password' : 'new-password'}
              required
              minLength={isLogin ? undefined : 8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={isLogin ? undefined : 'password-hint'}
            />
            {isLogin ? null : (
              <p className="hint" id="password-hint">
                At least 8 characters, not a common password and not your username.
              </p>
            )}
          </div>
          {error ? (
            <p className="form-error" role="alert">
              {describeError(error)}
            </p>
          ) : null}
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {isLogin ? 'Log in' : 'Sign up'}
          </button>
        </form>
        <p className="auth-switch">
          {isLogin ? (
            <>
              New here? <Link to={authPath(next, 'register')}>Create an account</Link>
            </>
          ) : (
            <>
              Already have an account? <Link to={authPath(next, 'login')}>Log in instead</Link>
            </>
          )}
        </p>
      </div>
    </div>
  );
}

export function LoginPage() {
  return <AuthForm mode="login" />;
}

export function RegisterPage() {
  return <AuthForm mode="register" />;
}
