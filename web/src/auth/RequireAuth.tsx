import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './AuthProvider';

/** Routes for signed-in users; others go to the log-in page (which sends them back after). */
export function RequireAuth() {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    return <Navigate to="/login" state={next === '/' ? null : { next }} replace />;
  }
  return <Outlet />;
}
