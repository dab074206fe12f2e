import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export default function NotFound() {
  useDocumentTitle('Not found');
  return (
    <div className="page narrow">
      <h1>There is nothing here</h1>
      <p>
        This address doesn’t match a page of movierec. <Link to="/">Go to your recommendations</Link>.
      </p>
    </div>
  );
}
