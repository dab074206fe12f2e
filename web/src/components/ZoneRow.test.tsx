import { QueryClient } from '@tanstack/react-query';
import { act, screen } from '@testing-library/react';
import { useState } from 'react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { keys } from '../api/queries';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { ME, movie } from '../test/fixtures';
import { renderApp } from '../test/render';
import { isReplaced, ZoneRow } from './ZoneRow';

const rec = (id: string): RecommendationFieldsFragment => ({
  zone: 'FOR_YOU',
  score: 0.5,
  modelVersion: 'v1',
  movie: movie(id, `Film ${id}`),
  reasons: [],
  fits: [],
});
const answer = (ids: string[]) => ({
  data: ids.map(rec),
  error: null,
  isPending: false,
  isFetching: false,
  isPlaceholderData: false,
  refetch: () => undefined,
});

function client() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(keys.me, ME);
  return qc;
}

/** jsdom lays nothing out: give the row a scroll position and a size that can be read and set. */
function scrollable(el: HTMLElement, left: number) {
  let x = left;
  Object.defineProperty(el, 'scrollLeft', { configurable: true, get: () => x, set: (v: number) => (x = v) });
  Object.defineProperty(el, 'clientWidth', { configurable: true, get: () => 400 });
  Object.defineProperty(el, 'scrollWidth', { configurable: true, get: () => 2000 });
}

/** A row whose answer the test swaps, as a fresh answer replaces the cached one, inside the app's providers. */
let setIds: (ids: string[]) => void = () => undefined;
function Harness({ initial }: { initial: string[] }) {
  const [ids, set] = useState(initial);
  setIds = set;
  return <ZoneRow title="For you" query={answer(ids)} />;
}

describe('isReplaced', () => {
  it('is true when a film is new to the row, false when films only went away', () => {
    expect(isReplaced(['1', '2', '3'], ['9', '1', '2', '3'])).toBe(true);
    expect(isReplaced(['1', '2', '3'], ['1', '3'])).toBe(false);
    expect(isReplaced(['1', '2'], ['1', '2'])).toBe(false);
  });
});

describe('ZoneRow', () => {
  it('goes back to its start when a fresh answer replaces the cached one (issue 16)', () => {
    const qc = client();
    renderApp(<Harness initial={['1', '2', '3']} />, { client: qc });
    const list = screen.getByRole('list');
    scrollable(list, 900); // the user (or scroll anchoring) has moved the row sideways
    act(() => setIds(['7', '8', '1', '2', '3']));
    expect(screen.getByRole('list')).toBe(list);
    expect(list.scrollLeft).toBe(0);
  });

  it('keeps its place when a film is only taken out (Not interested)', () => {
    const qc = client();
    renderApp(<Harness initial={['1', '2', '3']} />, { client: qc });
    const list = screen.getByRole('list');
    scrollable(list, 300);
    act(() => setIds(['1', '3']));
    expect(list.scrollLeft).toBe(300);
  });

  it('has labelled previous/next arrows that scroll the row and work from the keyboard', async () => {
    const qc = client();
    renderApp(<ZoneRow title="Hidden gems" query={answer(['1', '2', '3'])} />, { client: qc });
    const list = screen.getByRole('list');
    scrollable(list, 0);
    list.scrollBy = ((opts: ScrollToOptions) => {
      list.scrollLeft += opts.left ?? 0;
      list.dispatchEvent(new Event('scroll'));
    }) as typeof list.scrollBy;
    list.dispatchEvent(new Event('scroll'));
    const prev = await screen.findByRole('button', { name: 'Previous films in Hidden gems' });
    const next = screen.getByRole('button', { name: 'Next films in Hidden gems' });
    expect(prev).toHaveAttribute('aria-disabled', 'true');
    expect(next).toHaveAttribute('aria-disabled', 'false');
    expect(next).toHaveAttribute('aria-controls', list.id);
    next.focus();
    await userEvent.keyboard('{Enter}');
    expect(list.scrollLeft).toBe(340);
    expect(prev).toHaveAttribute('aria-disabled', 'false');
    prev.focus();
    await userEvent.keyboard(' ');
    expect(list.scrollLeft).toBe(0);
  });

  it('names the arrows from the label when the title is not plain text', () => {
    renderApp(<ZoneRow title={<a href="/together">Together</a>} label="Together" query={answer(['1'])} />, { client: client() });
    expect(screen.getByRole('button', { name: 'Next films in Together' })).toBeInTheDocument();
  });
});

describe('ZoneRow: See all and Skip', () => {
  it('shows the whole row as a grid with See all, and back as one row', async () => {
    const user = userEvent.setup();
    renderApp(<ZoneRow title="Hidden gems" query={answer(['1', '2', '3'])} />, { client: client() });
    const list = screen.getByRole('list');
    expect(list).toHaveClass('card-row');
    const all = screen.getByRole('button', { name: 'See all 3 in Hidden gems' });
    expect(all).toHaveAttribute('aria-expanded', 'false');
    expect(all).toHaveAttribute('aria-controls', list.id);
    await user.click(all);
    expect(screen.getByRole('list')).toHaveClass('card-grid');
    expect(screen.queryByRole('button', { name: 'Next films in Hidden gems' })).not.toBeInTheDocument();
    const back = screen.getByRole('button', { name: 'Show as a row: Hidden gems' });
    expect(back).toHaveAttribute('aria-expanded', 'true');
    await user.click(back);
    expect(screen.getByRole('list')).toHaveClass('card-row');
  });

  it('has a Skip link to the next row’s heading, and none on the last row', async () => {
    const user = userEvent.setup();
    renderApp(
      <>
        <ZoneRow title="For you" query={answer(['1', '2'])} />
        <ZoneRow title="Hidden gems" query={answer(['3'])} />
      </>,
      { client: client() },
    );
    const skip = await screen.findByRole('link', { name: 'Skip For you' });
    expect(screen.queryByRole('link', { name: 'Skip Hidden gems' })).not.toBeInTheDocument();
    await user.click(skip);
    expect(screen.getByRole('heading', { name: 'Hidden gems' })).toHaveFocus();
    // Next: the row after the heading, not the cards that were skipped.
    await user.tab();
    expect(screen.getByRole('button', { name: 'See all 1 in Hidden gems' })).toHaveFocus();
  });

  it('makes each card’s actions one Tab stop, moved through with the arrow keys', async () => {
    const user = userEvent.setup();
    const withReasons = { ...answer(['1', '2']) };
    withReasons.data = withReasons.data.map((r) => ({
      ...r,
      reasons: [{ kind: 'BECAUSE_YOU_RATED' as const, text: 'Like Heat.', weight: 1, people: [], genres: [], movies: [], users: [] }],
    }));
    renderApp(<ZoneRow title="For you" query={withReasons} />, { client: client() });
    const toolbar = screen.getByRole('toolbar', { name: 'Actions for Film 1' });
    screen.getByRole('link', { name: 'Film 1' }).focus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Why Film 1?' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('button', { name: 'Not interested in Film 1' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('button', { name: 'Seen it: mark Film 1 as watched' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('button', { name: 'Why Film 1?' })).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    await user.tab();
    expect(screen.getByRole('link', { name: 'Film 2' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Seen it: mark Film 1 as watched' })).toHaveFocus();
    expect(toolbar.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
  });
});
