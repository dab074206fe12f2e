import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, login, newPage, PASSWORD, register, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('register, survive a reload, log out, log in again', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    // Signed out, / is the landing page (what movierec is, working without an account); a page that needs
    // an account leads to the log-in form, which will come back to it.
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Find a film you’ll both enjoy tonight.' }).waitFor();
    // It shows the product working: hidden gems close to a well-known film, without an account.
    await page.getByRole('region', { name: 'Hidden gems', exact: true }).getByRole('article').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'landing');
    await page.goto('/together');
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/together');
    await screenshot(page, 'login');

    const username = await register(page, uniqueName('e2e_auth'));
    await page.getByRole('heading', { name: 'Rate films you’ve seen' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Log out' }).isVisible());
    assert.equal(await page.locator('.username').textContent(), username);

    // The session survives a reload (tokens in localStorage, one `me` query fills the UI).
    await page.goto('/');
    await page.reload();
    await page.getByRole('region', { name: 'For you', exact: true }).waitFor();
    assert.equal(await page.locator('.username').textContent(), username);

    // One `me` query after a fresh load, not one per component.
    const meRequests = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && /query Me\b/.test(r.postData() ?? '')) meRequests.push(r);
    });
    await page.reload();
    await page.getByRole('region', { name: 'For you', exact: true }).getByRole('article').first().waitFor();
    await page.waitForTimeout(500);
    assert.equal(meRequests.length, 1, 'exactly one me query per load');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/watchlist');
    await page.waitForURL(/\/login/);

    // A wrong password is explained in plain words.
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /password/i);

    // Log in sends the user back to the page they asked for.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/watchlist');
    await page.getByRole('heading', { name: 'Watchlist' }).waitFor();

    // A taken username is refused with the API's words.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/register');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /taken/i);

    await login(page, username);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a shared film link works signed out, and signing up from it comes back to the film', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    // A friend's link to a film page, opened by someone without an account.
    await page.goto(`/search?q=${encodeURIComponent('amelie')}`);
    const link = page.getByRole('link', { name: 'Amélie', exact: true }).first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /^\/film\/\d+$/);
    await context.clearCookies();
    await page.goto(href);
    await page.getByRole('heading', { level: 1, name: 'Amélie' }).waitFor();
    // Read-only: More like this and the details are there, the actions ask to sign in.
    await page.getByRole('region', { name: /More like this/ }).getByRole('article').first().waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('button', { name: /Favourite/ }).count(), 0);
    await screenshot(page, 'film-signed-out');

    await page.getByRole('link', { name: 'Sign in to rate' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === href);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL((url) => url.pathname === '/register' && url.searchParams.get('next') === href);
    await page.getByLabel('Username').fill(uniqueName('e2e_share'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    // Back on the film, now with the controls.
    await page.waitForURL((url) => url.pathname === href);
    await page.getByRole('heading', { level: 1, name: 'Amélie' }).waitFor();
    const favourite = page.getByRole('button', { name: /Favourite/ });
    await favourite.waitFor();
    assert.equal(await favourite.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
