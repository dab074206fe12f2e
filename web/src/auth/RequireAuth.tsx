import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './AuthProvider';
import { authPath } from './next';

/** Routes for signed-in users; others go to the log-in page with `?next=` (which sends them back after). */
export function RequireAuth() {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to={authPath(location.pathname + location.search)} replace />;
  return <Outlet />;
}
