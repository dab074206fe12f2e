import type { VibeQuery } from '../gql/graphql';

type Reading = VibeQuery['vibe']['reading'];

/** What a Vibe text that could not be read gets instead of picks: the reason and moods to try. */
export function VibeNotUnderstood({ reading, onTry }: { reading: Reading; onTry: (text: string) => void }) {
  return (
    <div className="vibe-not-understood" role="status">
      <p>{reading.message}</p>
      {reading.suggestions.length > 0 && (
        <p className="examples">
          Try:{' '}
          {reading.suggestions.map((s) => (
            <button key={s} type="button" className="chip-button" onClick={() => onTry(s)}>
              {s}
            </button>
          ))}
        </p>
      )}
    </div>
  );
}

/** "Read as: Science Fiction · no Horror · no gore": what the text was read to ask for, as chips. */
export function VibeReadAs({ reading }: { reading: Reading }) {
  const parts = [
    ...reading.genres,
    ...reading.avoidGenres.map((g) => `no ${g}`),
    ...reading.avoidTopics.map((t) => `no ${t}`),
  ];
  if (!reading.confident || parts.length === 0) return null;
  return (
    <p className="vibe-read-as">
      Read as:{' '}
      {parts.map((p) => (
        <span key={p} className="chip">
          {p}
        </span>
      ))}
    </p>
  );
}
