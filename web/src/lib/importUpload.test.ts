import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import {
  actionText,
  changeText,
  IMPORT_MAX_BYTES,
  importFileProblem,
  importForm,
  previewFromBody,
  rowsFor,
  type ImportRowData,
} from './importUpload';

const row = (over: Partial<ImportRowData>): ImportRowData => ({
  file: 'ratings.csv',
  line: 2,
  action: 'rate',
  title: 'The Matrix',
  year: 1999,
  imdbId: null,
  rating: 4.5,
  status: 'MATCHED',
  reason: 'Matched by title and year.',
  change: 'NEW',
  currentRating: null,
  movieId: '603',
  movie: { id: '603', title: 'The Matrix', year: 1999 },
  candidates: [],
  ...over,
});

describe('importFileProblem', () => {
  it('takes a zip or a csv up to the limit', () => {
    expect(importFileProblem({ name: 'letterboxd-me.zip', size: 1000 })).toBeNull();
    expect(importFileProblem({ name: 'ratings.CSV', size: IMPORT_MAX_BYTES })).toBeNull();
  });
  it('says why it refuses the rest before anything is sent', () => {
    expect(importFileProblem({ name: 'big.csv', size: IMPORT_MAX_BYTES + 1 })).toMatch(/at most 4 MiB/);
    expect(importFileProblem({ name: 'empty.csv', size: 0 })).toMatch(/empty/);
    expect(importFileProblem({ name: 'notes.txt', size: 10 })).toMatch(/neither a \.zip/);
  });
});

describe('importForm', () => {
  it('is a GraphQL multipart request: operations with a null file, the map, then the file', () => {
    const form = importForm(new Blob(['Const,Title\n']), 'ratings.csv');
    expect([...form.keys()]).toEqual(['operations', 'map', '0']);
    const ops = JSON.parse(form.get('operations') as string) as { query: string; variables: { file: null } };
    expect(ops.query).toMatch(/mutation PreviewImport\(\$file: Upload!\)/);
    expect(ops.variables).toEqual({ file: null });
    expect(JSON.parse(form.get('map') as string)).toEqual({ 0: ['variables.file'] });
    const file = form.get('0') as File;
    expect(file.name).toBe('ratings.csv');
    expect(file.size).toBe(12);
  });
});

describe('previewFromBody', () => {
  it('returns the preview', () => {
    const body = JSON.stringify({ data: { previewImport: { id: 'p1' } } });
    expect(previewFromBody(200, body)).toEqual({ id: 'p1' });
  });
  it('turns the server error into an ApiError with its code and message', () => {
    const body = JSON.stringify({
      errors: [{ message: 'export.zip is not a readable zip file.', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(() => previewFromBody(200, body)).toThrow(ApiError);
    try {
      previewFromBody(200, body);
    } catch (e) {
      expect((e as ApiError).code).toBe('BAD_USER_INPUT');
      expect((e as ApiError).message).toMatch(/not a readable zip/);
    }
  });
  it('reads a 413 with a plain body as too large', () => {
    expect(() => previewFromBody(413, 'Content Too Large')).toThrow(/larger than an import takes/);
  });
});

describe('rows and words', () => {
  const rows = [
    row({}),
    row({ line: 3, change: 'UNCHANGED' }),
    row({ line: 4, status: 'AMBIGUOUS', change: null, movie: null, movieId: null }),
    row({ line: 5, status: 'NOT_A_FILM', change: null, movie: null, movieId: null }),
  ];
  it('filters', () => {
    expect(rowsFor(rows, 'all')).toHaveLength(4);
    expect(rowsFor(rows, 'changes').map((r) => r.line)).toEqual([2]);
    expect(rowsFor(rows, 'matched').map((r) => r.line)).toEqual([2, 3]);
    expect(rowsFor(rows, 'unmatched').map((r) => r.line)).toEqual([4, 5]);
  });
  it('says what a row is and what a confirm does with it', () => {
    expect(actionText(row({}))).toBe('Rating 4.5★');
    expect(actionText(row({ action: 'watchlist', rating: null }))).toBe('Watchlist');
    expect(changeText(row({ change: 'CHANGED', currentRating: 2 }))).toBe('Replaces your 2★');
    expect(changeText(row({ action: 'watched', change: 'CHANGED' }))).toBe('Leaves your watchlist');
    expect(changeText(row({ change: null }))).toBe('—');
  });
});
