// Keyboard use of Home against the real stack: how many key presses from the top of the page to the Vibe box
// (Tab only, and Tab with the skip links), one stop per card's link and one per card's toolbar (arrow keys
// inside it), "Skip row" landing on the next row's heading. Escape on the phone menu and the focus after
// opening a film are in foryou.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newPage, rateOnboarding, register, screenshot } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      id: el?.id ?? '',
      tag: el?.tagName ?? '',
      cls: typeof el?.className === 'string' ? el.className : '',
      text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim().slice(0, 80),
      role: el?.getAttribute('role') ?? '',
    };
  });

/** Key presses from a fresh load of Home to the Vibe box's input: Tab only, or Tab plus Enter on every skip link met. */
async function pressesToVibe(page, { useSkipLinks }) {
  await page.goto('/');
  await waitForRows(page);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  let presses = 0;
  const path = [];
  while (presses < 600) {
    await page.keyboard.press('Tab');
    presses += 1;
    const el = await focused(page);
    path.push(el.text || el.tag);
    if (el.id === 'home-vibe') return { presses, path };
    if (useSkipLinks && /\b(skip-link|skip-row)\b/.test(el.cls)) {
      await page.keyboard.press('Enter');
      presses += 1;
      path.push('⏎');
    }
  }
  throw new Error(`no Vibe box after ${presses} presses: ${path.slice(-20).join(' | ')}`);
}

async function waitForRows(page) {
  for (const name of ['For you', 'Hidden gems', /^More like /]) {
    await page.getByRole('region', { name, exact: true }).getByRole('article').first().waitFor({ timeout: 30_000 });
  }
}

test('keyboard: few stops from the top of Home to the Vibe box, skip links, one toolbar per card', async () => {
  const { context, page, problems } = await newPage(browser);
  try {
    await register(page);
    await rateOnboarding(page, 5);
    await page.goto('/');
    await waitForRows(page);
    const cards = await page.locator('main article').count();

    const tabOnly = await pressesToVibe(page, { useSkipLinks: false });
    const skipping = await pressesToVibe(page, { useSkipLinks: true });
    console.log(
      `Tab presses from the top of Home to the Vibe box (${cards} cards): ${tabOnly.presses} Tab only; ` +
        `${skipping.presses} key presses with the skip links: ${skipping.path.join(' → ')}`,
    );
    // Two stops per card (its title link, its toolbar), a few per row (Skip row, See all, the arrows).
    assert.ok(tabOnly.presses <= 2 * cards + 30, `${tabOnly.presses} Tab presses for ${cards} cards`);
    assert.ok(skipping.presses <= 16, `${skipping.presses} presses with the skip links: ${skipping.path.join(' | ')}`);

    // Skip row: visible when focused, it lands on the next row's heading.
    await page.goto('/');
    await waitForRows(page);
    const forYou = page.getByRole('region', { name: 'For you', exact: true });
    const skip = forYou.getByRole('link', { name: 'Skip For you' });
    await skip.focus();
    const box = await skip.boundingBox();
    assert.ok(box && box.width > 20 && box.height > 10, `Skip row visible on focus: ${JSON.stringify(box)}`);
    await screenshot(page, 'keyboard-skip-row');
    await page.keyboard.press('Enter');
    const landed = await focused(page);
    assert.equal(landed.tag, 'H2');
    assert.ok(/Together|Hidden gems/.test(landed.text), `landed on ${landed.text}`);

    // A card: Tab reaches its title link, then its toolbar (one stop), whose buttons the arrow keys move between.
    const first = forYou.getByRole('article').first();
    const title = (await first.getByRole('heading').textContent()).trim();
    await first.getByRole('link', { name: title, exact: true }).focus();
    await page.keyboard.press('Tab');
    let el = await focused(page);
    assert.equal(el.text, `Why ${title}?`);
    const toolbar = first.getByRole('toolbar', { name: `Actions for ${title}` });
    assert.equal(await toolbar.count(), 1);
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).text, `Not interested in ${title}`);
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).text, `Seen it: mark ${title} as watched`);
    await page.keyboard.press('ArrowRight'); // wraps
    assert.equal((await focused(page)).text, `Why ${title}?`);
    await page.keyboard.press('End');
    assert.equal((await focused(page)).text, `Seen it: mark ${title} as watched`);
    // Tab leaves the toolbar for the next card's link; Shift+Tab comes back to the button last used.
    await page.keyboard.press('Tab');
    const second = (await forYou.getByRole('article').nth(1).getByRole('heading').textContent()).trim();
    el = await focused(page);
    assert.equal(el.text, second);
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).text, `Seen it: mark ${title} as watched`);
    // Enter on "why?" opens the reasons, and the toolbar keeps its one stop.
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    assert.equal(await first.getByRole('button', { name: `Why ${title}?` }).getAttribute('aria-expanded'), 'true');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
