import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, login, newPage, rateOnboarding, register, rowTitles, screenshot, uniqueName } from './helpers.mjs';

// Issue 16: poster-less art that is compact, distinctive and free of text; Seen it on every card; Undo after
// Not interested. Against the real stack (no mocks).

let browser;
let username;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every piece of card art on the page: aria-hidden, no text at all, so never the title again. */
async function artIsDecorative(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.poster')).map((el) => ({
      hidden: el.getAttribute('aria-hidden') === 'true' || el.closest('[aria-hidden="true"]') !== null,
      text: (el.textContent ?? '').trim(),
      texts: el.querySelectorAll('text, title, img, image').length,
    })),
  );
}

test('Home: Undo brings a dismissed card back (kept after reload); Seen it says Seen and the film page says so after reload', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    username = await register(page, uniqueName('e2e_cards'));
    const rated = await rateOnboarding(page, 5);
    await page.goto('/');
    // For you follows the ratings within a few seconds: wait until it no longer lists a rated film.
    const titles = await eventually(
      async () => {
        await page.reload();
        const t = await rowTitles(page, 'For you');
        return t.length >= 4 && !t.some((x) => rated.includes(x)) ? t : null;
      },
      { message: 'For you to follow the ratings' },
    );
    const row = page.getByRole('region', { name: 'For you', exact: true });

    // The art says nothing: the heading is the only place the title is.
    const art = await artIsDecorative(page);
    assert.ok(art.length >= 4, `cards have art (${art.length})`);
    for (const a of art) assert.deepEqual(a, { hidden: true, text: '', texts: 0 });

    // Seen it: the card says Seen (disabled) at once.
    const seenTitle = titles[2];
    const href = await row.getByRole('link', { name: seenTitle, exact: true }).getAttribute('href');
    const seenId = /\/film\/(\d+)/.exec(href ?? '')?.[1];
    assert.ok(seenId, `the card links to its film (${href})`);
    await row.getByRole('button', { name: `Seen it: mark ${seenTitle} as watched` }).click();
    const seenButton = page.getByRole('button', { name: `Seen ${seenTitle}`, exact: true }).first();
    await seenButton.waitFor({ timeout: 2000 });
    assert.equal(await seenButton.isDisabled(), true);
    assert.match((await seenButton.textContent()) ?? '', /Seen$/);

    // Not interested from the keyboard: the card goes, an announced toast offers Undo and has the focus.
    const victim = titles[1];
    await row.getByRole('button', { name: `Not interested in ${victim}` }).focus();
    await page.keyboard.press('Enter');
    await row.getByRole('article', { name: victim, exact: true }).waitFor({ state: 'detached', timeout: 2000 });
    const toast = page.getByRole('status').filter({ hasText: `Removed ${victim}.` });
    await toast.waitFor({ timeout: 2000 });
    const undo = toast.getByRole('button', { name: `Undo: bring back ${victim}` });
    assert.equal(await undo.evaluate((el) => el === document.activeElement), true, 'Undo has the focus');
    await screenshot(page, 'cards');
    await page.keyboard.press('Enter');
    await row.getByRole('article', { name: victim, exact: true }).waitFor({ timeout: 3000 });
    await toast.waitFor({ state: 'detached', timeout: 2000 });

    // After a reload: the film is back (not dismissed), and the seen one is gone from the zones.
    await eventually(
      async () => {
        await page.reload();
        await rowTitles(page, 'For you');
        const back = await page.getByRole('article', { name: victim, exact: true }).count();
        const seen = await page.getByRole('region', { name: 'For you', exact: true }).getByRole('article', { name: seenTitle, exact: true }).count();
        return back > 0 && seen === 0;
      },
      { message: 'the undone film back and the seen film gone after reload' },
    );
    // Its film page says Seen (and cannot be pressed again: the API cannot unmark).
    await page.goto(`/film/${seenId}`);
    const onPage = page.getByRole('button', { name: 'Seen', exact: true });
    await onPage.waitFor();
    assert.equal(await onPage.isDisabled(), true);
    assert.equal(await onPage.getAttribute('aria-pressed'), 'true');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a phone the art on Vibe and film pages is compact (at most 120 px tall) and never repeats the title', async () => {
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  try {
    if (username) await login(page, username);
    else await register(page, uniqueName('e2e_cards_ph'));
    await page.goto(`/vibe?q=${encodeURIComponent('a tense heist thriller, not too long')}`);
    const results = page.getByRole('region', { name: 'Films matching the mood' });
    const first = results.getByRole('article').first();
    await first.waitFor({ timeout: 30_000 });
    const box = await first.locator('.poster').boundingBox();
    assert.ok(box, 'the first card has art');
    assert.ok(box.height <= 120, `the art is ${box.height} px tall`);
    const title = ((await first.getByRole('heading').textContent()) ?? '').trim();
    assert.ok(title);
    const art = await artIsDecorative(page);
    assert.ok(art.length >= 5);
    for (const a of art) assert.deepEqual(a, { hidden: true, text: '', texts: 0 });
    // The title shows once in the card: its heading.
    const mentions = await first.evaluate(
      (card, t) => Array.from(card.querySelectorAll('*')).filter((el) => el.children.length === 0 && (el.textContent ?? '').trim() === t).length,
      title,
    );
    assert.equal(mentions, 1, `"${title}" is written once in its card`);
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(width.scroll <= width.inner, `the page is ${width.scroll} px wide in a ${width.inner} px window`);
    await screenshot(page, 'vibe-phone');

    // The film page: compact art above the heading.
    await first.getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const hero = await page.locator('.film-hero .poster').boundingBox();
    assert.ok(hero && hero.height <= 120, `the film page art is ${hero?.height} px tall`);
    assert.deepEqual(await artIsDecorative(page).then((a) => a.filter((x) => x.text || !x.hidden || x.texts)), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
