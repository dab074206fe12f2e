/** Where to go after logging in: `?next=` on /login and /register, checked to stay on this site. */
import { useLocation } from 'react-router';

/** `raw` if it is a same-origin relative path ("/film/238?from=SIMILAR"), else "/" (absent, "//evil", "https://…", "javascript:…"). */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  try {
    const url = new URL(raw, 'http://movierec.invalid');
    if (url.origin !== 'http://movierec.invalid') return '/';
  } catch {
    return '/';
  }
  return raw;
}

/** `/login?next=…` (or `/register?next=…`) for a path; no `next` for "/". */
export function authPath(next: string, page: 'login' | 'register' = 'login'): string {
  const safe = safeNext(next);
  return safe === '/' ? `/${page}` : `/${page}?next=${encodeURIComponent(safe)}`;
}

/** The log-in link that comes back to the page the user is on now. */
export function useSignInHref(page: 'login' | 'register' = 'login'): string {
  const location = useLocation();
  return authPath(location.pathname + location.search, page);
}
