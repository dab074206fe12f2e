import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes, useLocation } from 'react-router';
import { LoginPage, RegisterPage } from '../routes/Auth';
import { jsonResponse, renderApp } from '../test/render';
import { authPath, safeNext } from './next';
import { RequireAuth } from './RequireAuth';

afterEach(() => vi.unstubAllGlobals());

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname + l.search}</p>;
}

const payload = { accessToken: 'a', refreshToken: 'r', accessTokenExpiresAt: '2999-01-01T00:00:00Z', user: { id: '9', username: 'cleo' } };

describe('safeNext', () => {
  it('keeps a path on this site and turns anything else into /', () => {
    expect(safeNext('/film/238?from=SIMILAR')).toBe('/film/238?from=SIMILAR');
    for (const bad of [null, '', 'film/238', '//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)'])
      expect(safeNext(bad)).toBe('/');
    expect(authPath('/together?x=1')).toBe('/login?next=%2Ftogether%3Fx%3D1');
    expect(authPath('/', 'register')).toBe('/register');
  });
});

describe('RequireAuth', () => {
  it('sends a visitor to /login?next=<path and query>', async () => {
    renderApp(
      <>
        <Routes>
          <Route element={<RequireAuth />}>
            <Route path="/together" element={<p>together page</p>} />
          </Route>
          <Route path="/login" element={<p>login page</p>} />
        </Routes>
        <Where />
      </>,
      { session: null, url: '/together?mood=calm' },
    );
    expect(await screen.findByText('login page')).toBeInTheDocument();
    expect(screen.queryByText('together page')).toBeNull();
    expect(screen.getByTestId('where')).toHaveTextContent('/login?next=%2Ftogether%3Fmood%3Dcalm');
  });
});

function authRoutes(url: string) {
  return renderApp(
    <>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="*" element={<p>elsewhere</p>} />
      </Routes>
      <Where />
    </>,
    { session: null, url },
  );
}

function fill() {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'cleo' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long password' } });
}

describe('log in and sign up return to ?next=', () => {
  it('logs in and goes back to the film', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: { login: payload } })));
    authRoutes('/login?next=%2Ffilm%2F238');
    fill();
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/film\/238$/));
  });

  it('ignores a next that leaves the site', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: { login: payload } })));
    authRoutes('/login?next=%2F%2Fevil.example%2F');
    fill();
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/));
  });

  it('keeps next on the way to sign up, and a new account goes back there', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: { register: payload } })));
    authRoutes('/login?next=%2Ffilm%2F238');
    fireEvent.click(screen.getByRole('link', { name: 'Create an account' }));
    expect(screen.getByTestId('where')).toHaveTextContent('/register?next=%2Ffilm%2F238');
    fill();
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/film\/238$/));
  });

  it('a new account with no next starts at /start', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ data: { register: payload } })));
    authRoutes('/register');
    fill();
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/start$/));
  });
});
