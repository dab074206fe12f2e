// Tonight in two browsers: a host on a desktop starts an evening, a guest joins from a phone by the share
// link (no account), rates five quick films, and both vote; each vote shows on the other screen through the
// subscription (no reload), and a film both said yes to is the match on both screens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, newPage, rateOnboarding, register, screenshot, uniqueName } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const picks = (page) => page.getByTestId('evening-pick');

async function firstTitles(page, n) {
  await picks(page).first().waitFor({ timeout: 30_000 });
  return (await picks(page).locator('h3 a').allTextContents()).slice(0, n);
}

test('an evening for a host and a guest on a phone: share link, quick ratings, live votes, the match', async () => {
  const host = await newPage(browser);
  const guest = await newPage(browser, { viewport: { width: 390, height: 844 } });
  try {
    const hostName = await register(host.page, uniqueName('e2e_host'));
    await rateOnboarding(host.page, 5);

    await host.page.goto('/tonight');
    await host.page.getByLabel('In the mood for (optional)').fill('something funny');
    await host.page.getByRole('button', { name: 'Start the evening' }).click();
    await host.page.waitForURL(/\/tonight\/[0-9a-f-]{36}$/);
    const link = await host.page.getByTestId('share-link').inputValue();
    assert.match(link, /\/join\/[A-Za-z0-9_-]{22}$/);
    await host.page.getByRole('button', { name: 'Show QR code' }).click();
    const qr = host.page.getByRole('img', { name: 'QR code of the evening link' });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
    await host.page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();

    // The guest opens the link on a phone, signed out: joins by name, rates five films with one tap each.
    await guest.page.goto(new URL(link).pathname);
    await guest.page.getByRole('heading', { name: `${hostName} invites you to pick a film together` }).waitFor();
    await guest.page.getByLabel('Your name').fill('Sam');
    await guest.page.getByRole('button', { name: 'Join the evening' }).click();
    await guest.page.getByRole('heading', { name: 'Hi Sam! Five quick films' }).waitFor();
    await screenshot(guest.page, 'tonight-guest-start');
    for (let i = 0; i < 5; i++) {
      const film = guest.page.getByTestId('quick-film').first();
      const before = await film.locator('strong').textContent();
      await film.getByRole('button', { name: i % 2 ? 'Liked it' : 'Loved it' }).click();
      await guest.page.getByTestId('quick-film').first().locator('strong').filter({ hasNotText: before }).waitFor();
    }
    await guest.page.getByText('5 of 5 rated').waitFor();
    await guest.page.getByRole('button', { name: 'See tonight’s picks' }).click();
    await guest.page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();

    // The host's screen learnt of Sam without a reload.
    await host.page.locator('.evening-members').getByText('Sam · guest').waitFor();
    // One list, the same on both screens: each screen's list is pushed to it, so on a busy machine one may
    // show the list from before Sam's last rating for a moment; both must settle on the same one.
    const [a] = await eventually(async () => {
      const [onHost, onGuest] = [await firstTitles(host.page, 2), await firstTitles(guest.page, 2)];
      return onHost.length === 2 && JSON.stringify(onHost) === JSON.stringify(onGuest) ? onHost : null;
    }, { timeout: 10_000, interval: 200, message: 'the same first two picks on both screens' });

    // A no from the guest takes the film off the host's screen.
    await guest.page.getByRole('group', { name: `Your vote on ${a}` }).getByRole('button', { name: 'No' }).click();
    await host.page.getByTestId('evening-pick').filter({ has: host.page.getByRole('link', { name: a, exact: true }) }).waitFor({ state: 'detached' });

    // Yes from both: the match, on both screens; the host sees the guest's yes first.
    const film = (await firstTitles(host.page, 1))[0];
    await host.page.getByRole('group', { name: `Your vote on ${film}` }).getByRole('button', { name: 'Yes' }).click();
    const onGuest = guest.page.getByTestId('evening-pick').filter({ has: guest.page.getByRole('link', { name: film, exact: true }) });
    await onGuest.getByText(`${hostName}: yes`).waitFor();
    await onGuest.getByRole('button', { name: 'Yes' }).click();
    for (const p of [host.page, guest.page]) {
      await p.getByTestId('match').filter({ hasText: `It’s a match: ${film}` }).waitFor();
    }
    assert.equal(await onGuest.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed'), 'true');
    await screenshot(host.page, 'tonight');
    await screenshot(guest.page, 'tonight-phone');
    // The phone page does not scroll sideways.
    assert.ok(await guest.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));

    // The guest can do nothing outside the evening: Home is the landing page (the guest is no account).
    await guest.page.goto('/watchlist');
    await guest.page.waitForURL(/\/login\?next=/);
    assert.deepEqual([...host.problems, ...guest.problems], []);
  } finally {
    await host.context.close();
    await guest.context.close();
  }
});

test('an unknown evening link says so', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto('/join/AAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('heading', { name: 'This evening link no longer works' }).waitFor();
  } finally {
    await context.close();
  }
});
