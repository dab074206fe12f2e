import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { StartEveningDocument } from '../api/operations';
import { api } from '../api/session';
import { ErrorBox } from '../components/ErrorBox';
import { VibeLength } from '../components/VibeLength';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { vibeTooLong } from '../lib/vibeText';
import { MAX_MEMBERS } from '../tonight/evening';

/** `/tonight`: start an evening (optionally in a mood), then share its link. */
export default function Tonight() {
  useDocumentTitle('Tonight');
  const navigate = useNavigate();
  const [mood, setMood] = useState('');
  const start = useMutation({
    mutationFn: (m: string) => api.request(StartEveningDocument, { mood: m.trim() || null }),
    onSuccess: (data) => void navigate(`/tonight/${data.startEvening.id}`),
  });
  const over = vibeTooLong(mood);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!over) start.mutate(mood);
  }
  return (
    <div className="page">
      <div className="page-head">
        <h1 tabIndex={-1}>Tonight</h1>
        <p className="lede">
          Start an evening, send the link (or show the QR code) to whoever is on the sofa with you. Everyone sees one list that fits
          all of you; say yes, no or seen to each film, and the first film you all said yes to is your match. Up to {MAX_MEMBERS}{' '}
          people; no account needed to join. The evening and its link end after 12 hours.
        </p>
      </div>
      <form className="panel" onSubmit={onSubmit}>
        <h2 className="h-small">Start an evening</h2>
        <div className="field">
          <label htmlFor="evening-mood">In the mood for (optional)</label>
          <input
            id="evening-mood"
            value={mood}
            onChange={(e) => setMood(e.target.value)}
            placeholder="a cosy mystery, nothing too dark"
            aria-describedby="evening-mood-length"
            aria-invalid={over || undefined}
            autoComplete="off"
          />
          <VibeLength text={mood} id="evening-mood-length" />
        </div>
        <button type="submit" className="button button-primary" disabled={start.isPending || over}>
          {start.isPending ? 'Starting…' : 'Start the evening'}
        </button>
        {start.error ? <ErrorBox error={start.error} /> : null}
      </form>
    </div>
  );
}
