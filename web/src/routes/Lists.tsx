import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { movieCardQuery } from '../api/queries';
import { useMe } from '../auth/AuthProvider';
import { ErrorBox } from '../components/ErrorBox';
import { MovieCard } from '../components/MovieCard';
import { SkeletonCard, SkeletonCards } from '../components/Skeleton';
import { dateText } from '../lib/format';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useFilmActions } from '../lib/useFilmActions';
import { ratingOf } from '../lib/userState';

export function WatchlistPage() {
  useDocumentTitle('Watchlist');
  const me = useMe();
  const { run } = useFilmActions();
  const entries = me.data?.state.watchlist ?? [];
  return (
    <div className="page">
      <h1>Watchlist</h1>
      {me.error ? (
        <ErrorBox error={me.error} onRetry={() => void me.refetch()} />
      ) : me.isPending ? (
        <SkeletonCards />
      ) : entries.length === 0 ? (
        <p className="empty">
          Nothing on your watchlist. Add films from their page, or <Link to="/">browse your recommendations</Link>.
        </p>
      ) : (
        <ul className="card-grid">
          {entries.map((e) =>
            e.movie ? (
              <li key={e.movieId}>
                <MovieCard
                  headingLevel={2}
                  movie={e.movie}
                  showRating
                  rating={ratingOf(me.data?.state, e.movieId)}
                  footer={
                    <>
                      <span className="muted small">added {dateText(e.addedAt)}</span>
                      <button
                        type="button"
                        className="chip-button"
                        aria-label={`Remove ${e.movie.title} from watchlist`}
                        onClick={() => run({ kind: 'watchlist', movieId: e.movieId, on: false })}
                      >
                        Remove
                      </button>
                    </>
                  }
                />
              </li>
            ) : (
              <li key={e.movieId} className="muted">
                A film no longer in the catalogue (id {e.movieId}).
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}

export function FavouritesPage() {
  useDocumentTitle('Favourites');
  const me = useMe();
  const { run } = useFilmActions();
  const ids = me.data?.state.favoriteIds ?? []; // newest first, as the server sends them
  const films = useQueries({ queries: ids.map((id) => movieCardQuery(id)) });
  return (
    <div className="page">
      <h1>Favourites</h1>
      {me.error ? (
        <ErrorBox error={me.error} onRetry={() => void me.refetch()} />
      ) : me.isPending ? (
        <SkeletonCards />
      ) : ids.length === 0 ? (
        <p className="empty">No favourites yet. Mark films with ♡ on their page.</p>
      ) : (
        <ul className="card-grid">
          {ids.map((id, i) => {
            const q = films[i];
            const movie = q?.data;
            return (
              <li key={id}>
                {q?.error ? (
                  <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
                ) : movie ? (
                  <MovieCard
                    headingLevel={2}
                    movie={movie}
                    showRating
                    rating={ratingOf(me.data?.state, id)}
                    footer={
                      <button
                        type="button"
                        className="chip-button"
                        aria-label={`Remove ${movie.title} from favourites`}
                        onClick={() => run({ kind: 'favorite', movieId: id, on: false })}
                      >
                        Remove
                      </button>
                    }
                  />
                ) : (
                  <SkeletonCard />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
