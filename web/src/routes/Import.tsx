import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ConfirmImportDocument } from '../api/operations';
import { meQuery } from '../api/queries';
import { api, freshAccessToken } from '../api/session';
import { useAuth } from '../auth/AuthProvider';
import { SignInLink } from '../auth/SignInLink';
import { ErrorBox } from '../components/ErrorBox';
import type { ConfirmImportMutation } from '../gql/graphql';
import {
  actionText,
  changeText,
  importFileProblem,
  rowsFor,
  statusText,
  uploadImport,
  type ImportPreviewData,
  type ImportRowData,
  type RowFilter,
  type UploadProgress,
} from '../lib/importUpload';
import { useDocumentTitle } from '../lib/useDocumentTitle';

type Summary = ConfirmImportMutation['confirmImport'];
type Stage =
  | { kind: 'idle' }
  | { kind: 'uploading'; progress: UploadProgress | null; fileName: string }
  | { kind: 'preview'; preview: ImportPreviewData }
  | { kind: 'confirming'; preview: ImportPreviewData }
  | { kind: 'done'; preview: ImportPreviewData; summary: Summary };

const PAGE = 200; // rows rendered at once; "Show more" adds as many

export default function ImportPage() {
  useDocumentTitle('Import your history');
  const { session } = useAuth();
  if (!session) {
    return (
      <div className="page import-page">
        <h1>Bring your history</h1>
        <p>Import your ratings, watched films and watchlist from Letterboxd or IMDb, so your recommendations know you from the start.</p>
        <SignInLink className="button button-primary">Sign in to import</SignInLink>
      </div>
    );
  }
  return <Importer />;
}

function Importer() {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const inputId = useId();

  async function send(file: File) {
    setError(null);
    const why = importFileProblem(file);
    setProblem(why);
    if (why) return;
    setStage({ kind: 'uploading', progress: null, fileName: file.name });
    try {
      const token = await freshAccessToken();
      if (!token) throw new Error('Your session has ended: log in again.');
      const preview = await uploadImport(file, token, (progress) =>
        setStage({ kind: 'uploading', progress, fileName: file.name }),
      );
      setStage({ kind: 'preview', preview });
    } catch (e) {
      setError(e);
      setStage({ kind: 'idle' });
    } finally {
      if (input.current) input.current.value = '';
    }
  }

  async function confirm(preview: ImportPreviewData) {
    setError(null);
    setStage({ kind: 'confirming', preview });
    try {
      const res = await api.request(ConfirmImportDocument, { previewId: preview.id });
      setStage({ kind: 'done', preview, summary: res.confirmImport });
      await queryClient.invalidateQueries({ queryKey: meQuery().queryKey });
    } catch (e) {
      setError(e);
      setStage({ kind: 'preview', preview });
    }
  }

  const busy = stage.kind === 'uploading' || stage.kind === 'confirming';
  return (
    <div className="page import-page">
      <h1>Bring your history</h1>
      <p>
        Import your ratings, watched films and watchlist. Nothing is saved until you have seen what matched and
        confirmed.
      </p>
      <ul className="import-sources small">
        <li>
          <strong>Letterboxd</strong>: Settings → Import &amp; Export → Export your data, then pick the .zip as it
          came (ratings, watched and watchlist are read).
        </li>
        <li>
          <strong>IMDb</strong>: Your ratings → ⋯ → Export, then pick the ratings .csv (a list or watchlist export
          goes to your watchlist). Ratings 1–10 become half stars.
        </li>
      </ul>
      {stage.kind === 'idle' || stage.kind === 'preview' || stage.kind === 'done' ? (
        <div className="import-picker">
          <label htmlFor={inputId} className="button">
            {stage.kind === 'idle' ? 'Choose a file…' : 'Import another file…'}
          </label>
          <input
            ref={input}
            id={inputId}
            className="visually-hidden-file"
            type="file"
            accept=".zip,.csv,application/zip,text/csv"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void send(f);
            }}
          />
          <span className="muted small">A .zip or .csv up to 4 MiB.</span>
        </div>
      ) : null}
      {problem ? (
        <p className="error-box" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} what={stage.kind === 'preview' ? 'Nothing was imported.' : "That file can't be imported."} /> : null}
      {stage.kind === 'uploading' ? <Uploading progress={stage.progress} fileName={stage.fileName} /> : null}
      {stage.kind === 'done' ? <Done summary={stage.summary} /> : null}
      {stage.kind === 'preview' || stage.kind === 'confirming' ? (
        <PreviewView preview={stage.preview} confirming={stage.kind === 'confirming'} onConfirm={() => void confirm(stage.preview)} />
      ) : null}
    </div>
  );
}

function Uploading({ progress, fileName }: { progress: UploadProgress | null; fileName: string }) {
  const sent = progress && progress.total > 0 ? Math.min(1, progress.loaded / progress.total) : 0;
  const uploaded = progress !== null && sent >= 1;
  return (
    <div className="import-progress" role="status" aria-live="polite">
      <label>
        {uploaded ? `Matching the films of ${fileName}…` : `Uploading ${fileName}…`}
        {uploaded ? (
          // Matching happens in one request on the server: no share of it to show, so the bar says "busy".
          <progress aria-label="Matching" />
        ) : (
          <progress aria-label="Upload" max={1} value={sent} />
        )}
      </label>
      {!uploaded && progress ? (
        <span className="muted small">
          {Math.round(sent * 100)}% of {(progress.total / 1024).toFixed(0)} KiB
        </span>
      ) : null}
    </div>
  );
}

export function CountsView({ preview }: { preview: ImportPreviewData }) {
  const c = preview.counts;
  const notMatched = c.notInCatalogue + c.ambiguous + c.notAFilm + c.badRows;
  return (
    <dl className="import-counts" aria-label="Counts">
      <div>
        <dt>Rows</dt>
        <dd>{c.rows}</dd>
      </div>
      <div>
        <dt>Matched</dt>
        <dd>{c.matched}</dd>
      </div>
      <div>
        <dt>Not matched</dt>
        <dd>{notMatched}</dd>
      </div>
      <div>
        <dt>New ratings</dt>
        <dd>{c.ratingsNew}</dd>
      </div>
      <div>
        <dt>Changed ratings</dt>
        <dd>{c.ratingsChanged}</dd>
      </div>
      <div>
        <dt>Watched</dt>
        <dd>{c.watchedNew}</dd>
      </div>
      <div>
        <dt>Watchlist</dt>
        <dd>{c.watchlistNew}</dd>
      </div>
      <div>
        <dt>Already yours</dt>
        <dd>{c.unchanged}</dd>
      </div>
    </dl>
  );
}

const FILTERS: { key: RowFilter; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'changes', label: 'Changes' },
  { key: 'matched', label: 'Matched' },
  { key: 'unmatched', label: 'Not matched' },
];

export function PreviewView({
  preview,
  confirming,
  onConfirm,
}: {
  preview: ImportPreviewData;
  confirming: boolean;
  onConfirm: () => void;
}) {
  const [filter, setFilter] = useState<RowFilter>('all');
  const [shown, setShown] = useState(PAGE);
  const rows = rowsFor(preview.rows, filter);
  const c = preview.counts;
  const changes = c.ratingsNew + c.ratingsChanged + c.watchedNew + c.watchlistNew;
  const source = preview.source === 'letterboxd' ? 'Letterboxd export' : 'IMDb export';
  return (
    <section aria-labelledby="import-preview-h" className="import-preview">
      <h2 id="import-preview-h">
        Preview of {preview.fileName} <span className="muted small">({source})</span>
      </h2>
      <CountsView preview={preview} />
      <div className="import-confirm">
        <button type="button" className="button button-primary" disabled={confirming || changes === 0} onClick={onConfirm}>
          {confirming ? 'Importing…' : changes === 0 ? 'Nothing to import' : `Import ${changes} change${changes === 1 ? '' : 's'}`}
        </button>
        <span className="muted small">Only the rows marked “Will be added” or “Replaces” change anything.</span>
      </div>
      <div role="group" aria-label="Show rows" className="import-filters">
        {FILTERS.map((f) => (
          <button
            key={f.key}
            type="button"
            className="chip-button"
            aria-pressed={filter === f.key}
            onClick={() => {
              setFilter(f.key);
              setShown(PAGE);
            }}
          >
            {f.label} ({rowsFor(preview.rows, f.key).length})
          </button>
        ))}
      </div>
      <div className="import-table-wrap">
        <table className="import-table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">In the file</th>
              <th scope="col">What</th>
              <th scope="col">Result</th>
              <th scope="col">Film</th>
              <th scope="col">Import</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((r) => (
              <Row key={`${r.file}:${r.line}`} row={r} />
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown ? (
        <button type="button" className="button" onClick={() => setShown((n) => n + PAGE)}>
          Show more ({rows.length - shown} left)
        </button>
      ) : null}
    </section>
  );
}

function Row({ row }: { row: ImportRowData }) {
  return (
    <tr className={`import-row status-${row.status.toLowerCase()}`}>
      <td className="muted small">
        {row.file}:{row.line}
      </td>
      <td>
        {row.title || <span className="muted">(no title)</span>}
        {row.year ? <span className="muted"> ({row.year})</span> : null}
      </td>
      <td>{actionText(row)}</td>
      <td>
        <strong>{statusText(row.status)}</strong>
        <div className="muted small">{row.reason}</div>
      </td>
      <td>
        {row.movie ? (
          <Link to={`/film/${row.movie.id}`}>
            {row.movie.title}
            {row.movie.year ? ` (${row.movie.year})` : ''}
          </Link>
        ) : row.candidates.length ? (
          <span className="small">
            Could be{' '}
            {row.candidates.map((m, i) => (
              <span key={m.id}>
                {i ? ', ' : ''}
                <Link to={`/film/${m.id}`}>
                  {m.title}
                  {m.year ? ` (${m.year})` : ''}
                </Link>
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>{changeText(row)}</td>
    </tr>
  );
}

function Done({ summary }: { summary: Summary }) {
  const total = summary.ratingsWritten + summary.watchedWritten + summary.watchlistWritten;
  return (
    <div className="import-done" role="status">
      <h2>{summary.alreadyConfirmed ? 'Already imported' : total ? 'Imported' : 'Nothing changed'}</h2>
      <p>
        {summary.ratingsWritten} rating{summary.ratingsWritten === 1 ? '' : 's'}, {summary.watchedWritten} watched,{' '}
        {summary.watchlistWritten} on your watchlist
        {summary.unchanged ? `; ${summary.unchanged} already so` : ''}.
      </p>
      <p>
        <Link to="/">See your recommendations</Link> · <Link to="/watchlist">Your watchlist</Link>
      </p>
    </div>
  );
}

