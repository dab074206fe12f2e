import { QueryClient } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import type { RecommendationFieldsFragment } from '../gql/graphql';
import { ME, movie } from '../test/fixtures';
import { renderApp } from '../test/render';
import { MovieCard } from './MovieCard';
import { reasonLabel } from './Reasons';
import { ZoneRow } from './ZoneRow';

const ana = { id: '7', username: 'ana' };
const ben = { id: '8', username: 'ben' };
const together = (id: string, title: string, fits: RecommendationFieldsFragment['fits'], text: string): RecommendationFieldsFragment => ({
  zone: 'TOGETHER',
  score: 0.9,
  modelVersion: 'v1',
  movie: movie(id, title),
  reasons: [{ kind: 'MAINLY_FOR', text, weight: 1, people: [], genres: [], movies: [], users: [ben] }],
  fits,
});

function show(recs: RecommendationFieldsFragment[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME);
  const query = { data: recs, error: null, isPending: false, isFetching: false, isPlaceholderData: false, refetch: vi.fn() };
  return renderApp(<ZoneRow title="Tonight, together" query={query} layout="grid" />, { client });
}

describe('Together fits on the cards', () => {
  it("shows every member's fit as text, the caller first, rounded up", () => {
    show([
      together('949', 'Heat', [{ user: ana, score: 0.4, tasteKnown: true }, { user: ben, score: 0.97, tasteKnown: true }], 'Mainly for ben: top 3% for ben, top 60% for ana.'),
      together('680', 'Pulp Fiction', [{ user: ana, score: 0.949, tasteKnown: true }, { user: ben, score: 0.996, tasteKnown: true }], 'A middle ground: top 1% for ben, top 6% for ana.'),
    ]);
    const heat = within(screen.getByRole('article', { name: 'Heat' })).getByRole('list', { name: 'How Heat fits each of you' });
    expect(within(heat).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ana top 60%', 'ben top 3%']);
    const pulp = within(screen.getByRole('article', { name: 'Pulp Fiction' })).getByRole('list', { name: /fits each of you/ });
    expect(within(pulp).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ana top 6%', 'ben top 1%']);
    expect(within(pulp).getAllByRole('listitem')[1]).toHaveAttribute('title', 'A better fit for ben than 99% of the catalogue');
  });

  it('names a member whose account is gone, and shows no fits outside Together', () => {
    const forYou: RecommendationFieldsFragment = { ...together('13', 'Forrest Gump', [], 'x'), zone: 'FOR_YOU', reasons: [] };
    show([together('949', 'Heat', [{ user: ana, score: 0.99, tasteKnown: true }, { user: null, score: 0.5, tasteKnown: true }], 'Mainly for ana: top 1% for ana.'), forYou]);
    const heat = within(screen.getByRole('article', { name: 'Heat' })).getByRole('list', { name: /fits each of you/ });
    expect(within(heat).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ana top 1%', 'Former member top 50%']);
    expect(within(screen.getByRole('article', { name: 'Forrest Gump' })).queryByRole('list', { name: /fits each of you/ })).toBeNull();
  });

  it('says so for a member without ratings instead of a fit', () => {
    show([together('949', 'Heat', [{ user: ana, score: 0.99, tasteKnown: true }, { user: ben, score: 0.98, tasteKnown: false }],
      'Mainly for ana: top 1% for ana, no ratings yet from ben.')]);
    const heat = within(screen.getByRole('article', { name: 'Heat' })).getByRole('list', { name: /fits each of you/ });
    expect(within(heat).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ana top 1%', 'ben no ratings yet']);
  });

  it('labels MAINLY_FOR reasons like the other kinds, in words', async () => {
    const user = userEvent.setup();
    show([together('949', 'Heat', [{ user: ana, score: 0.4, tasteKnown: true }, { user: ben, score: 0.97, tasteKnown: true }], 'Mainly for ben: top 3% for ben, top 60% for ana.')]);
    expect(reasonLabel('MAINLY_FOR')).toBe('Partial fit');
    expect(reasonLabel('FITS_EVERYONE')).toBe('Together');
    const card = screen.getByRole('article', { name: 'Heat' });
    expect(card.querySelector('.card-reason')).toHaveTextContent('Partial fit Mainly for ben: top 3% for ben, top 60% for ana.');
    await user.click(within(card).getByRole('button', { name: 'Why Heat?' }));
    const kind = within(card).getAllByText('Partial fit').at(-1);
    expect(kind).toHaveClass('reason-kind', 'kind-mainly_for');
  });
});

describe('the rating a card shows', () => {
  it('is the vote-weighed rating when the list is sorted by it, the raw average otherwise', () => {
    const m = { id: '1', title: 'Heat', year: 1995, genres: ['Crime'], runtime: 170, voteAverage: 7.9, rating: 7.6, voteCount: 4000, popularityPercentile: 90 };
    const { unmount } = renderApp(<MovieCard movie={m} ratingSort />);
    expect(screen.getByRole('article', { name: 'Heat' }).querySelector('.card-stats')).toHaveTextContent('7.6/10 weighed');
    unmount();
    renderApp(<MovieCard movie={m} />);
    expect(screen.getByRole('article', { name: 'Heat' }).querySelector('.card-stats')).toHaveTextContent('7.9/10 ·');
  });
});
