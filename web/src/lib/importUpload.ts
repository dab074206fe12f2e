/**
 * The history import's upload: the file as a GraphQL multipart request (operations + map + the file,
 * the spec graphql-upload clients follow) to /graphql/upload, the one route whose body may be larger
 * than the 64 KiB of /graphql. Sent with XMLHttpRequest rather than fetch because only XHR reports
 * upload progress (`xhr.upload.onprogress`): the progress bar shows bytes really sent. The server reads
 * the zip or CSV itself, so the browser needs no zip library.
 */
import { ApiError, toErrorCode } from '../api/errors';
import { PreviewImportDocument } from '../api/operations';
import type { PreviewImportMutation } from '../gql/graphql';

/** kit/limits.py IMPORT_FILE_MAX_BYTES: the server refuses larger files (BAD_USER_INPUT). */
export const IMPORT_MAX_BYTES = 4 * 1024 * 1024;

export type ImportPreviewData = PreviewImportMutation['previewImport'];
export type ImportRowData = ImportPreviewData['rows'][number];

/** Why a picked file cannot be sent, before sending it; null when it can. */
export function importFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > IMPORT_MAX_BYTES) {
    const mib = (file.size / 2 ** 20).toFixed(1);
    return `${file.name} is ${mib} MiB; an import takes at most 4 MiB.`;
  }
  if (!/\.(zip|csv)$/i.test(file.name)) return `${file.name} is neither a .zip (Letterboxd) nor a .csv (IMDb) file.`;
  return null;
}

/** The multipart body: `operations` (the document, the file variable null), `map`, then the file. */
export function importForm(file: Blob, fileName: string): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: PreviewImportDocument.toString(), variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, fileName);
  return form;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

interface Body {
  data?: PreviewImportMutation | null;
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

/** The answer of the upload as the preview, or an ApiError with the server's code and message. */
export function previewFromBody(status: number, text: string): ImportPreviewData {
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    if (status === 413) throw new ApiError('BAD_USER_INPUT', 'The file is larger than an import takes (4 MiB).', 'PreviewImport');
    throw new ApiError(status >= 500 ? 'UNAVAILABLE' : 'UNKNOWN', `HTTP ${status}`, 'PreviewImport');
  }
  const e = body.errors?.[0];
  if (e) throw new ApiError(toErrorCode(e.extensions?.code), e.message ?? 'error', 'PreviewImport');
  if (!body.data) throw new ApiError('UNKNOWN', 'empty response', 'PreviewImport');
  return body.data.previewImport;
}

export function uploadImport(
  file: File,
  token: string,
  onProgress: (p: UploadProgress) => void,
  options: { endpoint?: string; signal?: AbortSignal } = {},
): Promise<ImportPreviewData> {
  const { endpoint = '/graphql/upload', signal } = options;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', endpoint);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      try {
        resolve(previewFromBody(xhr.status, xhr.responseText));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'network error', 'PreviewImport'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(importForm(file, file.name));
  });
}

export type RowFilter = 'all' | 'changes' | 'matched' | 'unmatched';

export function rowsFor(rows: readonly ImportRowData[], filter: RowFilter): ImportRowData[] {
  switch (filter) {
    case 'all':
      return [...rows];
    case 'changes':
      return rows.filter((r) => r.change === 'NEW' || r.change === 'CHANGED');
    case 'matched':
      return rows.filter((r) => r.status === 'MATCHED');
    case 'unmatched':
      return rows.filter((r) => r.status !== 'MATCHED');
  }
}

const ACTION: Record<string, string> = { rate: 'Rating', watched: 'Watched', watchlist: 'Watchlist' };

export function actionText(row: Pick<ImportRowData, 'action' | 'rating'>): string {
  const what = ACTION[row.action] ?? row.action;
  return row.action === 'rate' && row.rating != null ? `${what} ${row.rating}★` : what;
}

const STATUS: Record<ImportRowData['status'], string> = {
  MATCHED: 'Matched',
  NOT_IN_CATALOGUE: 'Not in catalogue',
  AMBIGUOUS: 'Ambiguous',
  NOT_A_FILM: 'Not a film',
  BAD_ROW: 'Bad row',
};

export function statusText(status: ImportRowData['status']): string {
  return STATUS[status];
}

/** What a confirm does with a row, in words. */
export function changeText(row: Pick<ImportRowData, 'change' | 'currentRating' | 'action'>): string {
  switch (row.change) {
    case 'NEW':
      return 'Will be added';
    case 'CHANGED':
      return row.action === 'rate' && row.currentRating != null
        ? `Replaces your ${row.currentRating}★`
        : 'Leaves your watchlist';
    case 'UNCHANGED':
      return 'Already yours';
    case 'DUPLICATE':
      return 'Duplicate';
    case 'SKIPPED':
      return 'Skipped';
    default:
      return '—';
  }
}
