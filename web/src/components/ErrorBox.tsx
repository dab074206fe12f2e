import { describeError } from '../api/errors';

/** An API error in plain words, with a way to try again. */
export function ErrorBox({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what?: string }) {
  return (
    <div className="error-box" role="alert">
      <p>
        {what ? <strong>{what} </strong> : null}
        {describeError(error)}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
