import { describe, expect, it } from 'vitest';
import { GEM_SCALE } from '../test/fixtures';
import { nearestStep, obscurityRange, toPercentile } from './gemCeiling';

const SCALE = GEM_SCALE;

describe('the obscurity slider over the gem ceiling', () => {
  it('takes its range and step from the scale and starts at the user\'s own ceiling (right: more obscure)', () => {
    expect(obscurityRange(SCALE)).toEqual({ min: 10, max: 65, step: 5, initial: 25 });
    expect(toPercentile(25)).toBe(75);
    expect(obscurityRange({ ...SCALE, yours: SCALE.steps[4]! }).initial).toBe(45); // a learnt ceiling of 55
  });

  it('falls back to a step of 5 without two steps', () => {
    expect(obscurityRange({ ...SCALE, steps: [] }).step).toBe(5);
  });

  it('says each position with the nearest step, the stricter one on a tie', () => {
    expect(nearestStep(SCALE, 75).text).toBe('at most 830 votes');
    expect(nearestStep(SCALE, 41).text).toBe('at most 220 votes');
    expect(nearestStep(SCALE, 37.5).text).toBe('at most 60 votes');
    expect(nearestStep(SCALE, 77.5).text).toBe('at most 830 votes');
    expect(nearestStep(SCALE, 99).text).toBe('at most 2500 votes');
    expect(nearestStep({ ...SCALE, steps: [] }, 60).text).toBe('at most 830 votes');
  });
});
