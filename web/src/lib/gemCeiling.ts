/**
 * The Film page's obscurity slider over the Hidden-gems ceiling (`gemCeilingScale`). The slider
 * moves right for more obscure films, so its value is 100 minus the popularity percentile the
 * ceiling is on; its range and step come from the recommender's scale, it starts at the user's own
 * (learnt) ceiling (`yours`: the default when signed out), and each position is said in votes by the
 * nearest step's text ("at most 830 votes").
 */
import type { GemCeilingScaleQuery, GemCeilingStepFieldsFragment } from '../gql/graphql';

export type GemCeilingScale = GemCeilingScaleQuery['gemCeilingScale'];

export interface ObscurityRange {
  min: number;
  max: number;
  step: number;
  initial: number;
}

/** Obscurity (slider value) <-> ceiling percentile. */
export const toPercentile = (obscurity: number): number => 100 - obscurity;
export const toObscurity = (percentile: number): number => 100 - percentile;

export function obscurityRange(scale: GemCeilingScale): ObscurityRange {
  const [first, second] = scale.steps;
  const gap = first && second ? Math.abs(second.percentile - first.percentile) : 0;
  return {
    min: toObscurity(scale.max.percentile),
    max: toObscurity(scale.min.percentile),
    step: gap > 0 ? gap : 5,
    initial: toObscurity(scale.yours.percentile),
  };
}

/** The step closest to `percentile` (on a tie, the lower, stricter one); the scale's default without steps. */
export function nearestStep(scale: GemCeilingScale, percentile: number): GemCeilingStepFieldsFragment {
  let best = scale.default;
  let bestGap = Infinity;
  for (const s of scale.steps) {
    const gap = Math.abs(s.percentile - percentile);
    if (gap < bestGap || (gap === bestGap && s.percentile < best.percentile)) {
      best = s;
      bestGap = gap;
    }
  }
  return best;
}
