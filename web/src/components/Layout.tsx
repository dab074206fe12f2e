import { useEffect, useRef, useState, type RefObject } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useNavigation } from 'react-router';
import { describeError } from '../api/errors';
import { useAuth } from '../auth/AuthProvider';
import { authPath } from '../auth/next';
import { prefetchRoute } from '../lib/prefetch';
import type { RouteName } from '../routes/lazy';
import { useToast } from './Toasts';

/** Signed out: what works without an account, then the way in. */
const PUBLIC_NAV: { to: string; label: string; route: RouteName }[] = [
  { to: '/search', label: 'Search', route: 'search' },
  { to: '/vibe', label: 'Vibe', route: 'vibe' },
];

const NAV: { to: string; label: string; route: RouteName }[] = [
  { to: '/', label: 'Home', route: 'home' },
  { to: '/search', label: 'Search', route: 'search' },
  { to: '/vibe', label: 'Vibe', route: 'vibe' },
  { to: '/together', label: 'Together', route: 'together' },
  { to: '/tonight', label: 'Tonight', route: 'tonight' },
  { to: '/watchlist', label: 'Watchlist', route: 'lists' },
  { to: '/favourites', label: 'Favourites', route: 'lists' },
  { to: '/account', label: 'Account', route: 'account' },
  { to: '/import', label: 'Import', route: 'import' },
];

/** After a move to another page (not on the first load, not when only the query changes), focus goes to
 * the new page's main heading once it is there (a film's h1 comes with its data), so keyboard and screen
 * reader users are not left on <body>. Given up if the user focuses something in the page first, or after 10 s. */
export function useFocusHeadingOnNavigate(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const root = main.current;
    if (!root) return;
    let done = false;
    const finish = () => {
      done = true;
      observer.disconnect();
      root.removeEventListener('focusin', onFocusIn);
      window.clearTimeout(timer);
    };
    const tryFocus = () => {
      if (done) return;
      const h1 = root.querySelector('h1');
      if (!h1) return;
      if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: true });
      finish();
    };
    const onFocusIn = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement && e.target.tagName !== 'H1') finish();
    };
    const observer = new MutationObserver(tryFocus);
    observer.observe(root, { childList: true, subtree: true });
    root.addEventListener('focusin', onFocusIn);
    const timer = window.setTimeout(finish, 10_000);
    tryFocus();
    return finish;
  }, [pathname, main]);
}

/** Signed out the nav is short enough to show on phones too: no menu button. Log in comes back to this page. */
function SignedOutNav() {
  const location = useLocation();
  const here = location.pathname === '/login' || location.pathname === '/register' ? '/' : location.pathname + location.search;
  return (
    <nav aria-label="Main" className="signed-out-nav">
      <ul>
        {PUBLIC_NAV.map((n) => (
          <li key={n.to}>
            <NavLink to={n.to} onMouseEnter={() => prefetchRoute(n.route)} onFocus={() => prefetchRoute(n.route)}>
              {n.label}
            </NavLink>
          </li>
        ))}
      </ul>
      <div className="user-menu">
        <NavLink to={authPath(here, 'login')} className="button button-quiet" onMouseEnter={() => prefetchRoute('auth')}>
          Log in
        </NavLink>
        <NavLink to={authPath(here, 'register')} className="button button-primary" onMouseEnter={() => prefetchRoute('auth')}>
          Sign up
        </NavLink>
      </div>
    </nav>
  );
}

export function Layout() {
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const toast = useToast();
  const [menuOpen, setMenuOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  useFocusHeadingOnNavigate(mainRef);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenuOpen(false);
      toggleRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand" aria-label="movierec home">
          movie<span>rec</span>
        </NavLink>
        {session ? (
        <>
        <button
          ref={toggleRef}
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="site-nav" aria-label="Main" className={menuOpen ? 'open' : ''}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink
                  to={n.to}
                  end={n.to === '/'}
                  onMouseEnter={() => prefetchRoute(n.route)}
                  onFocus={() => prefetchRoute(n.route)}
                  onClick={() => setMenuOpen(false)}
                >
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
          {session ? (
            <div className="user-menu">
              <span className="username" title="Signed in">
                {session.username}
              </span>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  logout().catch((e: unknown) =>
                    toast.error(`You're logged out on this device, but the server could not be told: ${describeError(e)}`),
                  );
                  void navigate('/login');
                }}
              >
                Log out
              </button>
            </div>
          ) : null}
        </nav>
        </>
        ) : (
          <SignedOutNav />
        )}
      </header>
      {navigation.state === 'loading' ? <div className="route-progress" aria-hidden="true" /> : null}
      <main id="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Film data from TMDb (via Kaggle extracts) and MovieLens ratings by GroupLens; movierec is not endorsed by either.
        </p>
      </footer>
    </div>
  );
}
