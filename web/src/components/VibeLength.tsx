import { VIBE_TEXT_MAX_CHARS, vibeLength, vibeTooLong, vibeTooLongMessage } from '../lib/vibeText';

/**
 * "512 / 500" under a vibe box, and over the limit the plain message (nothing is cut while typing).
 * `id` is for the input's aria-describedby.
 */
export function VibeLength({ text, id }: { text: string; id: string }) {
  const over = vibeTooLong(text);
  return (
    <div id={id} className="vibe-length">
      <span className={over ? 'vibe-count over' : 'vibe-count'}>
        {vibeLength(text)} / {VIBE_TEXT_MAX_CHARS}
      </span>
      {over ? (
        <p className="field-error" role="status">
          {vibeTooLongMessage(text)}
        </p>
      ) : null}
    </div>
  );
}
