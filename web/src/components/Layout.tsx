import { useState } from 'react';
import { NavLink, Outlet, useNavigate, useNavigation } from 'react-router';
import { describeError } from '../api/errors';
import { useAuth } from '../auth/AuthProvider';
import { prefetchRoute } from '../lib/prefetch';
import type { RouteName } from '../routes/lazy';
import { useToast } from './Toasts';

const NAV: { to: string; label: string; route: RouteName }[] = [
  { to: '/', label: 'Home', route: 'home' },
  { to: '/search', label: 'Search', route: 'search' },
  { to: '/vibe', label: 'Vibe', route: 'vibe' },
  { to: '/together', label: 'Together', route: 'together' },
  { to: '/watchlist', label: 'Watchlist', route: 'lists' },
  { to: '/favourites', label: 'Favourites', route: 'lists' },
];

export function Layout() {
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const toast = useToast();
  const [menuOpen, setMenuOpen] = useState(false);
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
        ) : null}
      </header>
      {navigation.state === 'loading' ? <div className="route-progress" aria-hidden="true" /> : null}
      <main id="main" tabIndex={-1}>
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
