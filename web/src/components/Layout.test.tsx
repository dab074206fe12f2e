import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect, useState } from 'react';
import { createMemoryRouter, Link, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { keys } from '../api/queries';
import { SESSION_KEY } from '../api/tokens';
import { AuthProvider } from '../auth/AuthProvider';
import { ME } from '../test/fixtures';
import { TEST_SESSION } from '../test/render';
import { Layout } from './Layout';
import { ToastProvider } from './Toasts';

/** A film page whose heading comes with its data, a moment after the page itself. */
function SlowFilm() {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const t = window.setTimeout(() => setLoaded(true), 30);
    return () => window.clearTimeout(t);
  }, []);
  return <div className="page">{loaded ? <h1>Heat (1995)</h1> : <p>Loading</p>}</div>;
}

function renderLayout() {
  localStorage.setItem(SESSION_KEY, JSON.stringify(TEST_SESSION));
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(keys.me, ME);
  const router = createMemoryRouter(
    [
      {
        element: <Layout />,
        children: [
          {
            path: '/',
            element: (
              <div className="page">
                <h1>Your recommendations</h1>
                <Link to="/film/949">Heat</Link>
                <Link to="/?page=2">Next page</Link>
              </div>
            ),
          },
          { path: '/film/:id', element: <SlowFilm /> },
        ],
      },
    ],
    { initialEntries: ['/'] },
  );
  render(
    <QueryClientProvider client={qc}>
      <ToastProvider>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return router;
}

describe('Layout keyboard (issue 16)', () => {
  it('closes the phone menu on Escape and gives focus back to its button', async () => {
    const user = userEvent.setup();
    renderLayout();
    const toggle = screen.getByRole('button', { name: 'Menu' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(document.getElementById('site-nav')).toHaveClass('open');
    screen.getByRole('link', { name: 'Search' }).focus();
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById('site-nav')).not.toHaveClass('open');
    expect(toggle).toHaveFocus();
  });

  it('leaves focus alone on the first load, then moves it to the new page’s heading after opening a film', async () => {
    const user = userEvent.setup();
    renderLayout();
    expect(document.activeElement).toBe(document.body);
    await user.click(screen.getByRole('link', { name: 'Heat' }));
    const h1 = await screen.findByRole('heading', { level: 1, name: 'Heat (1995)' });
    await waitFor(() => expect(h1).toHaveFocus());
    expect(h1).toHaveAttribute('tabindex', '-1');
  });

  it('does not move focus when only the query string changes', async () => {
    const user = userEvent.setup();
    const router = renderLayout();
    const next = screen.getByRole('link', { name: 'Next page' });
    await user.click(next);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(router.state.location.search).toBe('?page=2');
    expect(next).toHaveFocus();
  });
});

