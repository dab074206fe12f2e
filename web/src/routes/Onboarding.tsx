import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { onboardingQuery } from '../api/queries';
import { useMe } from '../auth/AuthProvider';
import { ErrorBox } from '../components/ErrorBox';
import { MovieCard } from '../components/MovieCard';
import { SkeletonCards } from '../components/Skeleton';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { ONBOARDING_TARGET, ratingOf } from '../lib/userState';

export default function Onboarding() {
  useDocumentTitle('Get started');
  const me = useMe();
  const films = useQuery(onboardingQuery());
  const rated = me.data?.state.ratings.length ?? 0;
  const done = rated >= ONBOARDING_TARGET;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Rate films you’ve seen</h1>
        <p className="lede">
          Well-known films across genres. Rate the ones you’ve seen (half stars are fine), skip the rest; {ONBOARDING_TARGET} ratings
          are enough to start For you.
        </p>
        <div className="progress-line" role="status">
          <progress max={ONBOARDING_TARGET} value={Math.min(rated, ONBOARDING_TARGET)} aria-label="Films rated" />
          <span>
            {rated} of {ONBOARDING_TARGET} rated
          </span>
          <Link to="/" className={`button ${done ? 'button-primary' : 'button-quiet'}`}>
            {done ? 'See For you' : 'Skip for now'}
          </Link>
        </div>
      </div>
      {films.error ? (
        <ErrorBox error={films.error} onRetry={() => void films.refetch()} />
      ) : films.isPending ? (
        <SkeletonCards count={12} />
      ) : (
        <ul className="card-grid">
          {films.data.map((r) => (
            <li key={r.movie.id}>
              <MovieCard headingLevel={2} movie={r.movie} reasons={r.reasons} zone={r.zone} showRating rating={ratingOf(me.data?.state, r.movie.id)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
