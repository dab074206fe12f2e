import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSignInHref } from './next';

/** Shown signed out where an action would be ("Sign in to rate"): goes to /login and back to this page. */
export function SignInLink({ children, className = 'button' }: { children: ReactNode; className?: string }) {
  const href = useSignInHref();
  return (
    <Link to={href} className={className}>
      {children}
    </Link>
  );
}
