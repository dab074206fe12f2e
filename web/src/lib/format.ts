/** Display helpers. */
const languageNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' });
  } catch {
    return null;
  }
})();

export function languageName(code: string | null | undefined): string | null {
  if (!code) return null;
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function runtimeText(minutes: number | null | undefined): string | null {
  if (!minutes) return null;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h ${m.toString().padStart(2, '0')} min` : `${m} min`;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
export function countText(n: number): string {
  return compact.format(n);
}

/**
 * Popularity in words, on the recommender's scale (services/recommender/quality.py): above the 90th
 * percentile a film is never a hidden gem, above the 75th (the default gem ceiling) it is well known,
 * and with fewer than 50 votes its rating means little.
 */
export const TRUSTED_MIN_VOTES = 50;
export function popularityText(percentile: number, voteCount: number): string {
  if (voteCount < TRUSTED_MIN_VOTES) return 'Rarely rated';
  if (percentile > 90) return `Very well known (top ${Math.max(1, Math.ceil(100 - percentile))}%)`;
  if (percentile > 75) return 'Well known';
  return 'Lesser known';
}

/**
 * A Together fit (0-1: the share of the catalogue that member's taste scores below the film) as the
 * member's top share, rounded up so it never flatters: 0.996 -> 1, 0.93 -> 7. The recommender's own
 * rounding (services/recommender/reasons.py `top_share`), so cards and reason texts agree.
 */
export function topPercent(score: number): number {
  const share = Math.round(100 * (1 - score) * 1e6) / 1e6; // 0.97 -> 3, not 3.0000000000000027 -> 4
  return Math.min(100, Math.max(1, Math.ceil(share)));
}

export function topShareText(score: number): string {
  return `top ${topPercent(score)}%`;
}

export function dateText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function starsText(value: number): string {
  return `${value} star${value === 1 ? '' : 's'}`;
}

/** Search: the words before the name of the person a film matched through ("Directed by", "With"). */
export function matchedPersonLead(role: string): string {
  return role === 'director' ? 'Directed by' : 'With';
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** A person's credit on one film, as a person page or a suggestion says it: "Director", "Cast, billed 3rd". */
export function creditText(role: string, billing?: number | null): string {
  if (role === 'director') return 'Director';
  return billing && billing > 0 ? `Cast, billed ${ordinal(billing)}` : 'Cast';
}
