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

/** Popularity percentile (100 = most popular) in words. */
export function popularityText(percentile: number): string {
  const p = Math.round(percentile);
  if (p >= 90) return `Very well known (top ${Math.max(1, 100 - p)}%)`;
  if (p >= 60) return 'Well known';
  if (p >= 30) return 'Lesser known';
  return 'Hidden gem territory';
}

export function dateText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function starsText(value: number): string {
  return `${value} star${value === 1 ? '' : 's'}`;
}
