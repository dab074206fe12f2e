/**
 * The longest vibe text the API takes, counted after trimming (kit/limits.py VIBE_TEXT_MAX_CHARS; the
 * gateway answers a longer one with BAD_USER_INPUT). Counted in characters as Python counts them (code
 * points), not UTF-16 units.
 */
export const VIBE_TEXT_MAX_CHARS = 500;

export function vibeLength(text: string): number {
  return [...text.trim()].length;
}

export function vibeTooLong(text: string): boolean {
  return vibeLength(text) > VIBE_TEXT_MAX_CHARS;
}

/** Said under a vibe box whose text is over the limit, and instead of results for one from a URL. */
export function vibeTooLongMessage(text: string): string {
  return `Keep it under ${VIBE_TEXT_MAX_CHARS} characters: this is ${vibeLength(text)}.`;
}
