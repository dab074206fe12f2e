import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderApp } from '../test/render';
import { SearchCombobox } from './SearchCombobox';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const answer = {
  data: {
    suggest: {
      movies: [
        { id: '155', title: 'The Dark Knight', year: 2008 },
        { id: '49026', title: 'The Dark Knight Rises', year: 2012 },
      ],
      people: [
        {
          person: { id: '525', name: 'Christopher Nolan' },
          filmCount: 10,
          knownFor: { role: 'director', movie: { id: '155', title: 'The Dark Knight', year: 2008 } },
        },
      ],
    },
  },
};

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname}</p>;
}

function Box() {
  const [value, setValue] = useState('');
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="q">Search films</label>
      <SearchCombobox id="q" value={value} onChange={setValue} />
    </form>
  );
}

function setup() {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
      if (!body.query.includes('query Suggest')) return jsonResponse({ data: { movie: null, gemCeilingScale: null } }); // prefetches
      sent.push(body);
      return jsonResponse(answer);
    }),
  );
  renderApp(
    <>
      <Routes>
        <Route path="/search" element={<Box />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </>,
    { url: '/search', session: null },
  );
  const box = screen.getByRole('combobox', { name: 'Search films' });
  return { sent, box };
}

const type = (box: HTMLElement, value: string) => fireEvent.change(box, { target: { value } });

describe('SearchCombobox', () => {
  it('asks once typing pauses, from 2 characters, and lists films then people', async () => {
    const { sent, box } = setup();
    type(box, 'n');
    await act(() => new Promise((r) => setTimeout(r, 300)));
    expect(sent).toHaveLength(0); // one character suggests nothing: not asked
    expect(box).toHaveAttribute('aria-expanded', 'false');
    type(box, 'no');
    type(box, 'nol');
    type(box, 'Nol  ');
    const list = await screen.findByRole('listbox', { name: 'Suggestions' });
    expect(sent).toHaveLength(1); // debounced: only the text typing paused at
    expect(sent[0]!.variables).toMatchObject({ query: 'nol' });
    expect(box).toHaveAttribute('aria-expanded', 'true');
    expect(box).toHaveAttribute('aria-controls', list.id);
    const films = within(list).getByRole('group', { name: 'Films' });
    expect(within(films).getAllByRole('option').map((o) => o.textContent)).toEqual(['The Dark Knight2008', 'The Dark Knight Rises2012']);
    const people = within(list).getByRole('group', { name: 'People' });
    expect(within(people).getByRole('option')).toHaveTextContent('Christopher NolanDirector, The Dark Knight (2008)');
    expect(screen.getByRole('status')).toHaveTextContent('2 films and 1 person suggested');
  });

  it('moves with the arrows (wrapping), shows the highlighted option, and opens it with Enter', async () => {
    const { box } = setup();
    type(box, 'nol');
    await screen.findByRole('listbox');
    expect(box).not.toHaveAttribute('aria-activedescendant');
    const options = screen.getAllByRole('option');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(box).toHaveAttribute('aria-activedescendant', options[1]!.id); // 0 -> wraps to 2 -> 1
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(options[2]).toHaveAttribute('aria-selected', 'true');
    expect(options[0]).toHaveAttribute('aria-selected', 'false');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(await screen.findByTestId('where')).toHaveTextContent('/person/525');
  });

  it('closes on Escape and reopens with the down arrow', async () => {
    const { box } = setup();
    type(box, 'nol');
    await screen.findByRole('listbox');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(box).not.toHaveAttribute('aria-activedescendant');
    expect(screen.queryByRole('listbox')).toBeNull(); // hidden
    expect(box).toHaveValue('nol'); // Escape closes the list, it does not clear the box
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box).toHaveAttribute('aria-expanded', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[0]!.id);
  });

  it('Enter without a highlighted option leaves it to the form (a plain search)', async () => {
    const { box } = setup();
    type(box, 'nol');
    await screen.findByRole('listbox');
    const enter = fireEvent.keyDown(box, { key: 'Enter' });
    expect(enter).toBe(true); // not prevented: the browser submits the form
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('where')).toBeNull(); // still on the search page
  });

  it('works with the mouse: hover highlights, a click opens, the box keeps the focus', async () => {
    const { box } = setup();
    box.focus();
    type(box, 'dark');
    const option = await screen.findByRole('option', { name: /The Dark Knight Rises/ });
    fireEvent.mouseEnter(option);
    expect(box).toHaveAttribute('aria-activedescendant', option.id);
    const down = fireEvent.mouseDown(option);
    expect(down).toBe(false); // default prevented: the input is not blurred
    fireEvent.click(option);
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/film/49026'));
  });

  it('closes when the focus leaves the box', async () => {
    const { box } = setup();
    type(box, 'nol');
    await screen.findByRole('listbox');
    fireEvent.blur(box);
    expect(box).toHaveAttribute('aria-expanded', 'false');
  });
});
