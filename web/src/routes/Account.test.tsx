import { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../api/queries';
import { SESSION_KEY } from '../api/tokens';
import { RequireAuth } from '../auth/RequireAuth';
import { ME } from '../test/fixtures';
import { jsonResponse, renderApp } from '../test/render';
import Account from './Account';

afterEach(() => vi.unstubAllGlobals());

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

const error = (message: string, code: string) => jsonResponse({ data: null, errors: [{ message, extensions: { code } }] });

/** The gateway, answering each operation by its name; `answers` overrides the default answer of one. */
function stub(answers: Record<string, (v: Record<string, unknown>) => Response> = {}) {
  const sent: Sent[] = [];
  let partners = ME.partners;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as Sent;
      sent.push(body);
      const name = /(?:mutation|query) (\w+)/.exec(body.query)?.[1] ?? '';
      const own = answers[name];
      if (own) return own(body.variables);
      if (name === 'UnlinkPartner') {
        partners = partners.filter((p) => p.user.id !== body.variables.userId);
        return jsonResponse({ data: { unlinkPartner: true } });
      }
      if (name === 'ChangePassword') return jsonResponse({ data: { changePassword: true } });
      if (name === 'DeleteAccount') return jsonResponse({ data: { deleteAccount: true } });
      if (name === 'Login') {
        return jsonResponse({
          data: {
            login: {
              accessToken: 'access-2',
              refreshToken: 'refresh-2',
              accessTokenExpiresAt: '2999-01-01T00:00:00Z',
              user: { id: '7', username: 'ana' },
            },
          },
        });
      }
      if (name === 'Me') return jsonResponse({ data: { me: { ...ME, partners } } });
      return jsonResponse({ data: null, errors: [{ message: `unexpected ${name}`, extensions: { code: 'INTERNAL' } }] });
    }),
  );
  return sent;
}

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

function render() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(keys.me, ME);
  return renderApp(
    <>
      <Routes>
        <Route element={<RequireAuth />}>
          <Route path="/account" element={<Account />} />
        </Route>
        <Route path="/" element={<p>Landing</p>} />
        <Route path="/login" element={<p>Log in page</p>} />
      </Routes>
      <Where />
    </>,
    { client, url: '/account' },
  );
}

const names = (sent: Sent[]) => sent.map((s) => /(?:mutation|query) (\w+)/.exec(s.query)?.[1]);

describe('Account: partners', () => {
  it('asks before unlinking, cancels back to the button, then unlinks and says so', async () => {
    const sent = stub();
    const user = userEvent.setup();
    render();
    const panel = screen.getByRole('region', { name: 'Partners' });
    expect(within(panel).getByText('ben')).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Unlink ben' }));
    const yes = within(panel).getByRole('button', { name: 'Yes, unlink ben' });
    expect(yes).toHaveFocus();
    expect(within(panel).getByRole('group', { name: /Unlink ben\?/ })).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(within(panel).getByRole('button', { name: 'Unlink ben' })).toHaveFocus();
    expect(sent).toHaveLength(0);

    await user.click(within(panel).getByRole('button', { name: 'Unlink ben' }));
    await user.click(within(panel).getByRole('button', { name: 'Yes, unlink ben' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('ben is unlinked.');
    expect(sent[0]?.variables).toEqual({ userId: '8' });
    await waitFor(() => expect(within(panel).queryByText('ben')).not.toBeInTheDocument());
    expect(within(panel).getByText(/No partner linked/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Partners' })).toHaveFocus();
  });

  it('keeps the partner and says why when the unlink fails', async () => {
    stub({ UnlinkPartner: () => error('Internal server error.', 'INTERNAL') });
    const user = userEvent.setup();
    render();
    const panel = screen.getByRole('region', { name: 'Partners' });
    await user.click(within(panel).getByRole('button', { name: 'Unlink ben' }));
    await user.click(within(panel).getByRole('button', { name: 'Yes, unlink ben' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent('ben wasn’t unlinked. Something went wrong on our side.');
    expect(within(panel).getByText('ben')).toBeInTheDocument();
  });
});

describe('Account: change password', () => {
  async function fill(current: string, next: string, again = next) {
    const user = userEvent.setup();
    const panel = screen.getByRole('region', { name: 'Change password' });
    if (current) await user.type(within(panel).getByLabelText('Current password'), current);
    if (next) await user.type(within(panel).getByLabelText('New password'), next);
    if (again) await user.type(within(panel).getByLabelText('New password again'), again);
    await user.click(within(panel).getByRole('button', { name: 'Change password' }));
    return panel;
  }

  it('shows the server’s policy error next to the new password, named by the field', async () => {
    const policy = 'This password is too common: choose one that is harder to guess.';
    stub({ ChangePassword: () => error(policy, 'BAD_USER_INPUT') });
    render();
    const panel = await fill('old password 1', 'password1');
    const field = within(panel).getByLabelText('New password');
    await waitFor(() => expect(field).toHaveAccessibleDescription(expect.stringContaining(policy)));
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
    expect(within(panel).getByLabelText('Current password')).not.toHaveAttribute('aria-invalid');
  });

  it('puts a wrong current password next to that field', async () => {
    stub({ ChangePassword: () => error('The current password is wrong.', 'FORBIDDEN') });
    render();
    const panel = await fill('not it', 'a long new passphrase');
    const field = within(panel).getByLabelText('Current password');
    await waitFor(() => expect(field).toHaveAccessibleDescription('The current password is wrong.'));
    expect(field).toHaveFocus();
  });

  it('sends nothing when the two new passwords differ', async () => {
    const sent = stub();
    render();
    const panel = await fill('old password 1', 'a long new passphrase', 'a long new passphrasf');
    expect(within(panel).getByLabelText('New password again')).toHaveAccessibleDescription(
      'This is not the same as the new password above.',
    );
    expect(sent).toHaveLength(0);
  });

  it('changes it, logs this device in again with the new password and says other devices are signed out', async () => {
    const sent = stub();
    render();
    const panel = await fill('old password 1', 'a long new passphrase');
    expect(await within(panel).findByRole('status')).toHaveTextContent('Password changed. Other devices are signed out');
    expect(names(sent).slice(0, 2)).toEqual(['ChangePassword', 'Login']);
    expect(sent[0]?.variables).toEqual({ currentPassword: 'old password 1', newPassword: 'a long new passphrase' });
    expect(sent[1]?.variables).toEqual({ username: 'ana', password: 'a long new passphrase' });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY) ?? '{}')).toMatchObject({ refreshToken: 'refresh-2' });
    expect(within(panel).getByLabelText('Current password')).toHaveValue('');
  });
});

describe('Account: delete', () => {
  it('needs the username typed exactly, then deletes, signs out and goes to the landing page', async () => {
    const sent = stub();
    const user = userEvent.setup();
    render();
    const panel = screen.getByRole('region', { name: 'Delete account' });
    await user.type(within(panel).getByLabelText('Your password'), 'old password 1');
    await user.type(within(panel).getByLabelText(/Type your username/), 'an');
    await user.click(within(panel).getByRole('button', { name: 'Delete my account' }));
    expect(within(panel).getByLabelText(/Type your username/)).toHaveAccessibleDescription('Type your username, ana, exactly.');
    expect(sent).toHaveLength(0);

    await user.type(within(panel).getByLabelText(/Type your username/), 'a');
    await user.click(within(panel).getByRole('button', { name: 'Delete my account' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/));
    expect(screen.getByText('Landing')).toBeInTheDocument();
    expect(names(sent)).toEqual(['DeleteAccount']);
    expect(sent[0]?.variables).toEqual({ password: 'old password 1' });
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    expect(await screen.findByText('The account ana and everything in it are deleted.')).toBeInTheDocument();
  });

  it('keeps the account and marks the password when it is wrong', async () => {
    stub({ DeleteAccount: () => error('The current password is wrong.', 'FORBIDDEN') });
    const user = userEvent.setup();
    render();
    const panel = screen.getByRole('region', { name: 'Delete account' });
    await user.type(within(panel).getByLabelText(/Type your username/), 'ana');
    await user.type(within(panel).getByLabelText('Your password'), 'nope');
    await user.click(within(panel).getByRole('button', { name: 'Delete my account' }));
    const field = within(panel).getByLabelText('Your password');
    await waitFor(() => expect(field).toHaveAccessibleDescription('The current password is wrong.'));
    expect(screen.getByTestId('where')).toHaveTextContent('/account');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });
});
