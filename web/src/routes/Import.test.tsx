import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ImportPreviewData } from '../lib/importUpload';
import { renderApp } from '../test/render';
import ImportPage, { PreviewView } from './Import';

const preview: ImportPreviewData = {
  id: 'p1',
  source: 'letterboxd',
  fileName: 'letterboxd-ana.zip',
  expiresAt: '2999-01-01T00:00:00Z',
  counts: {
    rows: 3,
    matched: 1,
    notInCatalogue: 1,
    ambiguous: 1,
    notAFilm: 0,
    badRows: 0,
    ratingsNew: 1,
    ratingsChanged: 0,
    watchedNew: 0,
    watchlistNew: 0,
    unchanged: 0,
  },
  rows: [
    {
      file: 'ratings.csv', line: 2, action: 'rate', title: 'Matrix, The', year: 1999, imdbId: null, rating: 5,
      status: 'MATCHED', reason: 'Matched by title and year.', change: 'NEW', currentRating: null, movieId: '603',
      movie: { id: '603', title: 'The Matrix', year: 1999 }, candidates: [],
    },
    {
      file: 'ratings.csv', line: 3, action: 'rate', title: 'Nobody Made This', year: 1999, imdbId: null, rating: 3,
      status: 'NOT_IN_CATALOGUE', reason: 'Not in the catalogue: no film titled “Nobody Made This”.', change: null,
      currentRating: null, movieId: null, movie: null, candidates: [],
    },
    {
      file: 'ratings.csv', line: 4, action: 'rate', title: 'Emma', year: 1996, imdbId: null, rating: 4,
      status: 'AMBIGUOUS', reason: 'Ambiguous: 2 films titled “Emma” from 1996.', change: null, currentRating: null,
      movieId: null, movie: null,
      candidates: [{ id: '3573', title: 'Emma', year: 1996 }, { id: '12254', title: 'Emma', year: 1996 }],
    },
  ],
};

describe('Import page', () => {
  it('asks a visitor to sign in', () => {
    renderApp(<ImportPage />, { session: null });
    expect(screen.getByRole('link', { name: 'Sign in to import' })).toHaveAttribute('href', expect.stringMatching(/^\/login/));
  });

  it('shows every row with its result and reason, and filters them', async () => {
    const onConfirm = vi.fn();
    renderApp(<PreviewView preview={preview} confirming={false} onConfirm={onConfirm} />);
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByRole('link', { name: 'The Matrix (1999)' })).toHaveAttribute('href', '/film/603');
    expect(rows[0]).toHaveTextContent('Will be added');
    expect(rows[1]).toHaveTextContent('Not in catalogue');
    expect(rows[1]).toHaveTextContent('no film titled “Nobody Made This”');
    expect(rows[2]).toHaveTextContent('Could be Emma (1996), Emma (1996)');
    await userEvent.click(screen.getByRole('button', { name: 'Not matched (2)' }));
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Import 1 change' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('has nothing to confirm when nothing would change', () => {
    const same = { ...preview, counts: { ...preview.counts, ratingsNew: 0, unchanged: 1 } };
    renderApp(<PreviewView preview={same} confirming={false} onConfirm={() => {}} />);
    expect(screen.getByRole('button', { name: 'Nothing to import' })).toBeDisabled();
  });
});
