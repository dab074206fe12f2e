import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes, useLocation } from 'react-router';
import { GEM_SCALE, movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Film from './Film';

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

afterEach(() => vi.unstubAllGlobals());

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname + l.search}</p>;
}

const FILM = {
  ...movie('238', 'The Godfather'),
  originalTitle: 'The Godfather',
  releaseDate: '1972-03-14',
  overview: 'A crime family.',
  tagline: null,
  keywords: [],
  originalLanguage: 'en',
  popularity: 40,
  directors: [{ id: '1', name: 'Francis Ford Coppola' }],
  cast: [{ id: '3084', name: 'Marlon Brando' }, { id: '1158', name: 'Al Pacino' }],
  companies: [],
  countries: [],
};
const rec = (id: string, title: string, zone: string) => ({ zone, score: 0.7, modelVersion: 'v1', movie: movie(id, title), reasons: [], fits: [] });

describe('A film page signed out', () => {
  it('shows the film read-only: sign-in links with next, no mutation, no me, no comments query', async () => {
    const sent: Sent[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
        const body = JSON.parse(String(init?.body)) as Sent;
        sent.push(body);
        const q = body.query;
        if (q.includes('query Movie(')) return jsonResponse({ data: { movie: FILM } });
        if (q.includes('query Similar')) return jsonResponse({ data: { similar: [rec('240', 'The Godfather Part II', 'SIMILAR')] } });
        if (q.includes('query HiddenGems')) return jsonResponse({ data: { hiddenGems: [rec('11', 'Thief', 'HIDDEN_GEMS')] } });
        if (q.includes('query GemCeilingScale')) return jsonResponse({ data: { gemCeilingScale: GEM_SCALE } });
        return jsonResponse({ data: null, errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] });
      }),
    );
    renderApp(
      <>
        <Routes>
          <Route path="/film/:id" element={<Film />} />
          <Route path="/login" element={<p>login page</p>} />
        </Routes>
        <Where />
      </>,
      { session: null, url: '/film/238?from=SIMILAR' },
    );
    expect(await screen.findByRole('heading', { level: 1, name: /The Godfather/ })).toBeInTheDocument();
    const similar = screen.getByRole('region', { name: 'More like this' });
    expect(await within(similar).findByRole('article', { name: 'The Godfather Part II' })).toBeInTheDocument();
    expect(screen.queryByRole('radiogroup')).toBeNull(); // no star rating
    // Credits lead to each person's page.
    expect(screen.getByRole('link', { name: 'Francis Ford Coppola' })).toHaveAttribute('href', '/person/1');
    expect(screen.getByRole('link', { name: 'Marlon Brando' })).toHaveAttribute('href', '/person/3084');
    expect(screen.getByRole('link', { name: 'Al Pacino' })).toHaveAttribute('href', '/person/1158');
    for (const name of ['Favourite', 'Watchlist', 'Not interested']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in to read and write comments' })).toHaveAttribute(
      'href',
      '/login?next=%2Ffilm%2F238%3Ffrom%3DSIMILAR',
    );
    await new Promise((r) => setTimeout(r, 400)); // past the open signal's 300 ms
    expect(sent.filter((b) => /mutation|query Me\b|query Comments/.test(b.query))).toEqual([]);

    expect(screen.getByRole('link', { name: 'Sign in to rate' })).toHaveAttribute('href', '/login?next=%2Ffilm%2F238%3Ffrom%3DSIMILAR');
    // A card's action signed out sends nothing and goes to log in, coming back here.
    const card = within(similar).getByRole('article', { name: 'The Godfather Part II' });
    fireEvent.click(within(card).getByRole('button', { name: /Not interested/ }));
    expect(await screen.findByText('login page')).toBeInTheDocument();
    expect(sent.filter((b) => b.query.includes('mutation'))).toEqual([]);
    expect(screen.getByTestId('where')).toHaveTextContent('/login?next=%2Ffilm%2F238%3Ffrom%3DSIMILAR');
  });
});
