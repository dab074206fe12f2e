import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './AuthProvider';
import { authPath } from './next';

/** Routes for signed-in users; others go to the log-in page with `?next=` (which sends them back after), or
 * where `endSession` said. */
export function RequireAuth() {
  const { session, leaving } = useAuth();
  const location = useLocation();
  if (!session) {
    // Signed out on purpose from this page (its account deleted): where that page said, not the log-in page.
    const to = leaving && leaving.from === location.pathname ? leaving.to : authPath(location.pathname + location.search);
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}
