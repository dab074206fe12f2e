import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Person from './Person';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const film = (id: string, title: string, year: number, voteCount: number) => ({ ...movie(id, title), year, voteCount });
const INCEPTION = film('27205', 'Inception', 2010, 14075);
const MEMENTO = film('77', 'Memento', 2000, 20000); // more votes than Inception here: the two orders differ
const FOLLOWING = film('11660', 'Following', 1998, 300);

/** A director who is also in the cast of one of his films (both sections). */
const byYear = {
  person: { id: '525', name: 'Christopher Nolan' },
  directed: [INCEPTION, MEMENTO, FOLLOWING].map((m) => ({ role: 'director', billing: 0, movie: m })),
  acted: [{ role: 'cast', billing: 3, movie: FOLLOWING }],
};
const byKnown = { ...byYear, directed: [...byYear.directed].sort((a, b) => b.movie.voteCount - a.movie.voteCount) };

function Where() {
  return <p data-testid="search">{useLocation().search}</p>;
}

function setup(url: string, answer: (sort: string) => unknown) {
  const sorts: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query: string; variables: { sort: string } };
      if (!body.query.includes('query Person')) return jsonResponse({ data: {} });
      sorts.push(body.variables.sort);
      return jsonResponse(answer(body.variables.sort));
    }),
  );
  renderApp(
    <Routes>
      <Route
        path="/person/:id"
        element={
          <>
            <Person />
            <Where />
          </>
        }
      />
    </Routes>,
    { url, session: null },
  );
  return { sorts };
}

const titles = (section: HTMLElement) => within(section).getAllByRole('article').map((a) => within(a).getByRole('heading').textContent);

describe('Person', () => {
  it('shows the name, Directed and Cast with each credit, signed out, by year by default', async () => {
    const { sorts } = setup('/person/525', () => ({ data: { person: byYear } }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Christopher Nolan' })).toBeInTheDocument();
    expect(screen.getByText('Directed 3 films, in the cast of 1 film in the catalogue.')).toBeInTheDocument();
    const directed = screen.getByRole('region', { name: 'Directed (3)' });
    expect(titles(directed)).toEqual(['Inception', 'Memento', 'Following']);
    const inception = within(directed).getByRole('article', { name: 'Inception' });
    expect(within(inception).getByRole('link', { name: 'Inception' })).toHaveAttribute('href', '/film/27205');
    expect(within(inception).getByText('Director')).toBeInTheDocument();
    expect(within(inception).getByText(/2010/)).toBeInTheDocument();
    const cast = screen.getByRole('region', { name: 'Cast (1)' });
    expect(within(cast).getByText('Cast, billed 3rd')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'By year' })).toHaveAttribute('aria-pressed', 'true');
    expect(sorts).toEqual(['YEAR']);
  });

  it('switches to by how known, keeping it in the URL', async () => {
    const { sorts } = setup('/person/525', (sort) => ({ data: { person: sort === 'KNOWN' ? byKnown : byYear } }));
    await screen.findByRole('heading', { level: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'By how known' }));
    expect(await screen.findByTestId('search')).toHaveTextContent('?sort=known');
    expect(screen.getByRole('button', { name: 'By how known' })).toHaveAttribute('aria-pressed', 'true');
    expect(sorts).toEqual(['YEAR', 'KNOWN']);
    await vi.waitFor(() => expect(titles(screen.getByRole('region', { name: 'Directed (3)' }))).toEqual(['Memento', 'Inception', 'Following']));
    fireEvent.click(screen.getByRole('button', { name: 'By year' }));
    expect(screen.getByTestId('search')).toHaveTextContent(/^$/);
  });

  it('opens sorted by how known from ?sort=known', async () => {
    const { sorts } = setup('/person/525?sort=known', () => ({ data: { person: byKnown } }));
    await screen.findByRole('heading', { level: 1, name: 'Christopher Nolan' });
    expect(sorts).toEqual(['KNOWN']);
    expect(screen.getByRole('button', { name: 'By how known' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('a person with no directing credits has no Directed section', async () => {
    setup('/person/31', () => ({ data: { person: { person: { id: '31', name: 'Tom Hanks' }, directed: [], acted: byYear.acted } } }));
    await screen.findByRole('heading', { level: 1, name: 'Tom Hanks' });
    expect(screen.queryByRole('region', { name: /Directed/ })).toBeNull();
    expect(screen.getByRole('region', { name: 'Cast (1)' })).toBeInTheDocument();
  });

  it('an unknown id is a not-found page', async () => {
    setup('/person/999999999', () => ({
      data: { person: null },
      errors: [{ message: 'no person with id 999999999', path: ['person'], extensions: { code: 'NOT_FOUND' } }],
    }));
    expect(await screen.findByRole('heading', { level: 1, name: 'We don’t know that person' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Search the catalogue' })).toHaveAttribute('href', '/search');
  });
});
