import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/useDocumentTitle';

/**
 * A page that is not there: an unknown address (the router's catch-all) or, with `title` and `children`,
 * a thing that is not there (a film id we don't have). Links to search and home; nothing to retry.
 */
export default function NotFound({ title = 'There is nothing here', children }: { title?: string; children?: ReactNode }) {
  useDocumentTitle('Not found');
  return (
    <div className="page narrow">
      <h1>{title}</h1>
      <p>{children ?? 'This address doesn’t match a page of movierec.'}</p>
      <p>
        <Link to="/search">Search the catalogue</Link> or <Link to="/">go to your recommendations</Link>.
      </p>
    </div>
  );
}
