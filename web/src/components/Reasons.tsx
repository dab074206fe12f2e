import { Link } from 'react-router';
import type { RecommendationFieldsFragment, ReasonKind } from '../gql/graphql';

type Reason = RecommendationFieldsFragment['reasons'][number];

const KIND_LABEL: Record<ReasonKind, string> = {
  SIMILAR_STORY: 'Story',
  SHARED_DIRECTOR: 'Director',
  SHARED_CAST: 'Cast',
  SHARED_GENRES: 'Genres',
  SHARED_KEYWORDS: 'Themes',
  SHARED_STUDIO: 'Studio',
  BECAUSE_YOU_RATED: 'Your ratings',
  LIKED_BY_SIMILAR_VIEWERS: 'Similar viewers',
  FITS_EVERYONE: 'Together',
  MAINLY_FOR: 'Partial fit',
  ON_WATCHLIST: 'Watchlist',
  MATCHES_VIBE: 'Vibe',
  LOW_POPULARITY: 'Hidden gem',
  WELL_RATED: 'Well rated',
  POPULAR_START: 'Good start',
  EVENING_YES: 'Tonight',
};

export function reasonLabel(kind: ReasonKind): string {
  return KIND_LABEL[kind] ?? kind;
}

export function ReasonList({ reasons, id }: { reasons: Reason[]; id?: string }) {
  return (
    <ul className="reasons" id={id}>
      {reasons.map((r, i) => (
        <li key={i}>
          <span className={`reason-kind kind-${r.kind.toLowerCase()}`}>{reasonLabel(r.kind)}</span>
          <span className="reason-text">{r.text}</span>
          {r.movies.length > 0 ? (
            <span className="reason-movies">
              {r.movies.slice(0, 3).map((m, j) => (
                <span key={m.id}>
                  {j > 0 ? ', ' : ''}
                  <Link to={`/film/${m.id}`}>{m.title}</Link>
                </span>
              ))}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
