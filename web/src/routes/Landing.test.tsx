import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes, useLocation } from 'react-router';
import { movie } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Landing from './Landing';

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

afterEach(() => vi.unstubAllGlobals());

const page = (nodes: ReturnType<typeof movie>[]) => ({
  totalCount: nodes.length,
  pageInfo: { hasNextPage: false, endCursor: null },
  edges: nodes.map((node) => ({ node, matchedPerson: null })),
});
const rec = (id: string, title: string) => ({ zone: 'HIDDEN_GEMS', score: 0.7, modelVersion: 'v1', movie: movie(id, title), reasons: [], fits: [] });

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname + l.search}</p>;
}

function setup() {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Sent;
      sent.push(body);
      if (body.query.includes('query SearchMovies')) {
        const q = String(body.variables.query);
        if (q === 'The Godfather') return jsonResponse({ data: { searchMovies: page([movie('240', 'The Godfather Part II'), movie('238', 'The Godfather')]) } });
        if (q === 'heat') return jsonResponse({ data: { searchMovies: page([movie('949', 'Heat')]) } });
        return jsonResponse({ data: { searchMovies: page([]) } });
      }
      if (body.query.includes('query HiddenGems')) return jsonResponse({ data: { hiddenGems: [rec('11', 'Thief'), rec('12', 'Le Cercle Rouge')] } });
      return jsonResponse({ data: null, errors: [{ message: 'unexpected', extensions: { code: 'UNAUTHENTICATED' } }] });
    }),
  );
  const view = renderApp(
    <>
      <Routes>
        <Route path="/" element={<Landing />} />
        <Route path="*" element={null} />
      </Routes>
      <Where />
    </>,
    { session: null, url: '/' },
  );
  return { ...view, sent };
}

describe('Landing (signed out)', () => {
  it('says what movierec is and shows hidden gems close to a well-known film, anonymously', async () => {
    const { sent } = setup();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/film you’ll both enjoy/);
    const gems = screen.getByRole('region', { name: 'Hidden gems' });
    expect(await within(gems).findByRole('article', { name: 'Thief' })).toBeInTheDocument();
    // The anchor is the exact title among the search results, not merely the first one.
    expect(sent.find((b) => b.query.includes('query HiddenGems'))?.variables).toMatchObject({ movieId: '238' });
    expect(within(gems).getByRole('link', { name: 'The Godfather' })).toHaveAttribute('href', '/film/238');
    expect(within(gems).getByRole('button', { name: 'The Godfather' })).toHaveAttribute('aria-pressed', 'true');
    // Only anonymous queries: no `me`, no mutation.
    expect(sent.every((b) => /query (SearchMovies|HiddenGems)/.test(b.query))).toBe(true);
    expect(screen.getByRole('link', { name: /Sign up/ })).toHaveAttribute('href', '/register');
    expect(screen.getByText(/For you/, { selector: 'strong' })).toBeInTheDocument();
  });

  it('sends a vibe to /vibe?q=…', async () => {
    setup();
    fireEvent.change(screen.getByLabelText('Describe tonight’s mood'), { target: { value: 'tense heist & a plan' } });
    fireEvent.click(screen.getByRole('button', { name: 'Match the vibe' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/vibe?q=tense%20heist%20%26%20a%20plan'));
  });

  it('finds a film for More like this and links to its page', async () => {
    setup();
    fireEvent.change(screen.getByLabelText('A film you love'), { target: { value: 'heat' } });
    const link = await screen.findByRole('link', { name: /Heat/ });
    expect(link).toHaveAttribute('href', '/film/949');
    fireEvent.click(link);
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/film/949'));
  });
});
