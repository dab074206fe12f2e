// The Account page against the real stack: unlink a partner (with a confirm step), change the password (the
// server's policy errors next to the field; other sessions end), delete the account (then signed out on the
// landing page, and the account really gone: logging in fails).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE_URL, PASSWORD, launch, newPage, register, screenshot, uniqueName } from './helpers.mjs';

const NEW_PASSWORD = 'a much longer passphrase 42';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function tryLogin(page, username, password) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** What the gateway answers to a refresh with the refresh token a page has stored (another device's session). */
async function refreshWithStoredToken(page) {
  return page.evaluate(async (base) => {
    const raw = Object.values({ ...localStorage }).find((v) => v.includes('refreshToken'));
    const { refreshToken } = JSON.parse(raw);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
        variables: { t: refreshToken },
      }),
    });
    return res.json();
  }, BASE_URL);
}

test('account: unlink a partner, change the password, delete the account', async () => {
  const a = await newPage(browser);
  const b = await newPage(browser, { viewport: { width: 390, height: 844 } });
  const other = await newPage(browser); // the same account on another device
  try {
    const alice = await register(a.page, uniqueName('e2e_acc_a'));
    const bob = await register(b.page, uniqueName('e2e_acc_b'));
    await a.page.goto('/together');
    await a.page.getByRole('button', { name: 'Create invite code' }).click();
    const code = (await a.page.getByTestId('invite-code').textContent()).trim();
    await b.page.goto('/together');
    await b.page.getByLabel('Invite code').fill(code);
    await b.page.getByRole('button', { name: 'Link partner' }).click();
    await b.page.getByText(`You’re now linked with ${alice}.`).waitFor();

    // The nav has the page; it is for signed-in users only.
    await a.page.goto('/');
    await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await a.page.waitForURL('**/account');
    await a.page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    const signedOut = await newPage(browser);
    await signedOut.page.goto('/account');
    await signedOut.page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/account');
    await signedOut.context.close();

    // Change password: the server's refusals, each next to its field.
    const pw = a.page.getByRole('region', { name: 'Change password' });
    await pw.getByLabel('Current password').fill('not my password');
    await pw.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await pw.getByLabel('New password again').fill(NEW_PASSWORD);
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.getByText('The current password is wrong.').waitFor();
    assert.equal(await pw.getByLabel('Current password').getAttribute('aria-invalid'), 'true');
    assert.match(await pw.getByLabel('Current password').getAttribute('aria-describedby'), /current-password-error/);

    await pw.getByLabel('Current password').fill(PASSWORD);
    await pw.getByLabel('New password', { exact: true }).fill('sunshine');
    await pw.getByLabel('New password again').fill('sunshine');
    await pw.getByRole('button', { name: 'Change password' }).click();
    const common = pw.locator('#new-password-error');
    await common.waitFor();
    assert.equal((await common.textContent()).trim(), 'This password is among the 10,000 most common; choose another.');
    assert.equal(await pw.getByLabel('Current password').getAttribute('aria-invalid'), null);
    const partners = a.page.getByRole('region', { name: 'Partners' });
    await partners.getByText(bob).waitFor();
    await screenshot(a.page, 'account');

    // Unlink, with a confirm step (Cancel keeps the link).
    await partners.getByRole('button', { name: `Unlink ${bob}` }).click();
    await partners.getByRole('button', { name: 'Cancel' }).click();
    await partners.getByRole('button', { name: `Unlink ${bob}` }).waitFor();
    await partners.getByRole('button', { name: `Unlink ${bob}` }).click();
    const unlinked = a.page.waitForResponse((r) => /mutation UnlinkPartner/.test(r.request().postData() ?? ''));
    await partners.getByRole('button', { name: `Yes, unlink ${bob}` }).click();
    assert.match(await (await unlinked).text(), /"unlinkPartner":true/);
    await partners.getByRole('status').filter({ hasText: `${bob} is unlinked.` }).waitFor();
    await partners.getByText('No partner linked.').waitFor();
    // Both sides: bob no longer has alice.
    await b.page.goto('/account');
    await b.page.getByRole('region', { name: 'Partners' }).getByText('No partner linked.').waitFor();

    // A good change: this device stays signed in, the other device's session is over, the old password is refused.
    await tryLogin(other.page, alice, PASSWORD);
    await other.page.waitForURL((u) => u.pathname === '/');
    await pw.getByLabel('Current password').fill(PASSWORD);
    await pw.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await pw.getByLabel('New password again').fill(NEW_PASSWORD);
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.getByRole('status').filter({ hasText: 'Password changed. Other devices are signed out' }).waitFor();
    await a.page.reload();
    await a.page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    assert.equal(new URL(a.page.url()).pathname, '/account');
    const refused = await refreshWithStoredToken(other.page);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused));
    await other.context.close();
    const fresh = await newPage(browser);
    await tryLogin(fresh.page, alice, PASSWORD);
    await fresh.page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();
    await tryLogin(fresh.page, alice, NEW_PASSWORD);
    await fresh.page.waitForURL((u) => u.pathname === '/');
    await fresh.context.close();

    // Delete: the username typed exactly, and the password.
    await a.page.goto('/account');
    const del = a.page.getByRole('region', { name: 'Delete account' });
    await del.getByLabel(/Type your username/).fill(alice.slice(0, -1));
    await del.getByLabel('Your password').fill(NEW_PASSWORD);
    await del.getByRole('button', { name: 'Delete my account' }).click();
    await del.getByText(`Type your username, ${alice}, exactly.`).waitFor();
    await del.getByLabel(/Type your username/).fill(alice);
    const deleted = a.page.waitForResponse((r) => /mutation DeleteAccount/.test(r.request().postData() ?? ''));
    await del.getByRole('button', { name: 'Delete my account' }).click();
    assert.match(await (await deleted).text(), /"deleteAccount":true/);
    // Signed out, on the landing page (not the log-in page), told what happened.
    await a.page.waitForURL((u) => u.pathname === '/');
    await a.page.getByText(`The account ${alice} and everything in it are deleted.`).waitFor();
    await a.page.getByRole('link', { name: 'Log in' }).waitFor();
    assert.equal(await a.page.getByRole('link', { name: 'Account' }).count(), 0);
    // Gone: logging in fails, with the new password and the old one.
    await tryLogin(a.page, alice, NEW_PASSWORD);
    await a.page.getByRole('alert').filter({ hasText: 'Invalid username or password.' }).waitFor();
    assert.equal(new URL(a.page.url()).pathname, '/login');

    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
