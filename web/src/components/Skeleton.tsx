/** Placeholders with the shape of what is loading (no spinners). */
export function SkeletonCard() {
  return (
    <div className="card skeleton-card" aria-hidden="true">
      <div className="skeleton poster-skeleton" />
      <div className="skeleton line" />
      <div className="skeleton line short" />
      <div className="skeleton line" />
    </div>
  );
}

export function SkeletonCards({ count = 6, label = 'Loading films' }: { count?: number; label?: string }) {
  return (
    <div className="skeleton-cards" role="status" aria-label={label}>
      {Array.from({ length: count }, (_, i) => (
        <SkeletonCard key={i} />
      ))}
    </div>
  );
}

export function SkeletonText({ lines = 3 }: { lines?: number }) {
  return (
    <div role="status" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className={`skeleton line${i === lines - 1 ? ' short' : ''}`} />
      ))}
    </div>
  );
}
