import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { describeError } from '../api/errors';

export function RouteError() {
  const error = useRouteError();
  const chunkFailed = error instanceof TypeError && /import|module/i.test(error.message);
  return (
    <div className="page narrow" role="alert">
      <h1>Something went wrong</h1>
      <p>
        {isRouteErrorResponse(error)
          ? `${error.status} ${error.statusText}`
          : chunkFailed
            ? 'A part of the app could not be loaded (a new version may have been released). Reload the page.'
            : describeError(error)}
      </p>
      <p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>{' '}
        <Link to="/">Go home</Link>
      </p>
    </div>
  );
}
