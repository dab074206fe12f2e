// People and typeahead, signed out: the search box suggests films and people as one types; a person page
// lists what they directed and played in, by year or by how known; film credits lead back to people.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launch, newPage, screenshot } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** The titles and years of a filmography section's cards, in page order. */
async function filmography(page, name) {
  const section = page.getByRole('region', { name: new RegExp(`^${name} \\(\\d+\\)$`) });
  await section.getByRole('article').first().waitFor();
  const titles = (await section.getByRole('article').getByRole('heading').allTextContents()).map((t) => t.trim());
  const years = (await section.locator('.card-meta').allTextContents()).map((m) => Number(m.slice(0, 4)) || null);
  return { section, titles, years };
}

/** Presses ArrowDown in the combobox until the option named `name` is the highlighted one. */
async function arrowTo(page, box, name) {
  const option = page.getByRole('option', { name, exact: false }).first();
  await option.waitFor();
  const id = await option.getAttribute('id');
  for (let i = 0; i < 12 && (await box.getAttribute('aria-activedescendant')) !== id; i++) await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), id, `${name} is highlighted`);
  assert.equal(await option.getAttribute('aria-selected'), 'true');
}

test('typeahead to a director, his films by year and by how known, a film, its cast back to a person', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await page.goto('/search');
    const box = page.getByRole('combobox', { name: 'Search films' });
    await page.getByRole('main').getByRole('article').first().waitFor();
    const before = await page.getByRole('main').getByRole('article').first().boundingBox();
    await box.click();
    // A first name alone: films and people both.
    await box.pressSequentially('chris', { delay: 40 });
    const listbox = page.getByRole('listbox', { name: 'Suggestions' });
    await listbox.getByRole('group', { name: 'Films' }).getByRole('option').first().waitFor();
    await listbox.getByRole('group', { name: 'People' }).getByRole('option').first().waitFor();
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await screenshot(page, 'typeahead');
    await box.pressSequentially('topher nol', { delay: 40 });
    await eventually(async () => (await listbox.getByRole('option').allTextContents()).every((t) => /christopher/i.test(t) && /nol/i.test(t)), {
      timeout: 10_000,
      message: 'suggestions for "christopher nol" only',
    });
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.equal(await box.getAttribute('aria-controls'), await listbox.getAttribute('id'));
    const nolan = listbox.getByRole('group', { name: 'People' }).getByRole('option', { name: /^Christopher Nolan/ });
    await nolan.waitFor();
    assert.match(await nolan.textContent(), /Director, /);
    // The list floats over the page: the results under the box have not moved.
    const after_ = await page.getByRole('main').getByRole('article').first().boundingBox();
    assert.deepEqual(after_, before, 'no layout shift when the suggestions open');
    await arrowTo(page, box, 'Christopher Nolan');
    await box.press('Enter');
    await page.waitForURL(/\/person\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Christopher Nolan' }).waitFor();

    const byYear = await filmography(page, 'Directed');
    for (const t of ['Inception', 'The Dark Knight', 'Memento']) assert.ok(byYear.titles.includes(t), `${t} in ${byYear.titles}`);
    const dated = byYear.years.filter((y) => y !== null);
    assert.deepEqual(dated, [...dated].sort((a, b) => b - a), 'Directed: newest first');
    assert.equal(await byYear.section.getByText('Director', { exact: true }).count(), byYear.titles.length);
    await screenshot(page, 'person');

    await page.getByRole('button', { name: 'By how known' }).click();
    await page.waitForURL(/\?sort=known$/);
    // The router renders the new ?sort in a transition, after the URL changed: wait for the pressed state.
    await page.getByRole('button', { name: 'By how known', pressed: true }).waitFor({ timeout: 5_000 });
    const byKnown = await eventually(async () => {
      const f = await filmography(page, 'Directed');
      return f.titles.join() !== byYear.titles.join() ? f : null;
    }, { timeout: 10_000, message: 'the by-how-known order' });
    assert.deepEqual([...byKnown.titles].sort(), [...byYear.titles].sort(), 'the same films in another order');
    assert.ok(['Inception', 'The Dark Knight'].includes(byKnown.titles[0]), `best known first: ${byKnown.titles[0]}`);
    await page.reload(); // kept in the URL
    await page.getByRole('heading', { level: 1, name: 'Christopher Nolan' }).waitFor();
    assert.deepEqual((await filmography(page, 'Directed')).titles, byKnown.titles);

    await byKnown.section.getByRole('link', { name: 'Inception', exact: true }).click();
    await page.waitForURL(/\/film\/27205/);
    await page.getByRole('heading', { level: 1, name: /Inception/ }).waitFor();
    // The film's credits are links: the director back to his page, a cast member to theirs.
    assert.match(await page.getByRole('link', { name: 'Christopher Nolan', exact: true }).getAttribute('href'), /^\/person\/\d+$/);
    await page.locator('.cast').getByRole('link', { name: 'Leonardo DiCaprio', exact: true }).click();
    await page.waitForURL(/\/person\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Leonardo DiCaprio' }).waitFor();
    const cast = await filmography(page, 'Cast');
    const inception = cast.section.getByRole('article', { name: 'Inception', exact: true });
    await inception.getByText('Cast, billed 1st', { exact: true }).waitFor();
    assert.ok(cast.titles.length >= 10, `his films: ${cast.titles.length}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('keyboard only: Tab to the box, type, arrows and Enter, the sort switch, a film, a credit', async () => {
  const { page, context, problems } = await newPage(browser);
  try {
    await page.goto('/search');
    await page.getByRole('combobox', { name: 'Search films' }).waitFor();
    for (let i = 0; i < 20 && (await activeId(page)) !== 'q'; i++) await page.keyboard.press('Tab');
    assert.equal(await activeId(page), 'q', 'Tab reaches the search box');
    await page.keyboard.type('clint eas', { delay: 30 });
    const box = page.getByRole('combobox', { name: 'Search films' });
    await arrowTo(page, box, 'Clint Eastwood');
    // Escape closes the list and keeps the text; Down opens it again.
    await page.keyboard.press('Escape');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    assert.equal(await box.inputValue(), 'clint eas');
    await page.keyboard.press('ArrowDown');
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    await arrowTo(page, box, 'Clint Eastwood');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/person\/\d+$/);
    const h1 = page.getByRole('heading', { level: 1, name: 'Clint Eastwood' });
    await h1.waitFor();
    await eventually(() => h1.evaluate((el) => el === document.activeElement), { timeout: 5_000, message: 'focus on the heading' });
    const directed = await filmography(page, 'Directed');
    assert.ok(directed.titles.includes('Unforgiven') && directed.titles.includes('Gran Torino'), directed.titles.join());

    // Tab to the sort switch and press it.
    const known = page.getByRole('button', { name: 'By how known' });
    for (let i = 0; i < 5 && !(await known.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?sort=known$/);
    const first = (await eventually(async () => {
      const f = await filmography(page, 'Directed');
      return f.titles.join() !== directed.titles.join() ? f : null;
    }, { timeout: 10_000, message: 'the by-how-known order' })).titles[0];
    // Tab on to the first film's title link, Enter.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent ?? '')) !== first; i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/film\/\d+/);
    await page.getByRole('heading', { level: 1, name: new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).waitFor();
    // Tab to the director's credit and back to his page.
    for (let i = 0; i < 80 && (await page.evaluate(() => document.activeElement?.textContent ?? '')) !== 'Clint Eastwood'; i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/person\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Clint Eastwood' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a 390x844 phone the person page and the open typeahead fit the width; an unknown person is a not-found page', async () => {
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  const noOverflow = async (what) => {
    const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(w.scroll <= w.inner, `${what}: ${w.scroll} px wide in a ${w.inner} px window`);
  };
  try {
    await page.goto('/search');
    const box = page.getByRole('combobox', { name: 'Search films' });
    await box.click();
    await box.pressSequentially('christopher nol', { delay: 30 });
    await page.getByRole('option', { name: /^Christopher Nolan/ }).click(); // the mouse (a tap) works too
    await page.waitForURL(/\/person\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Christopher Nolan' }).waitFor();
    await (await filmography(page, 'Directed')).section.getByRole('article').first().waitFor();
    await noOverflow('the person page');
    await screenshot(page, 'person-phone');
    await page.goto('/search');
    await box.click();
    await box.pressSequentially('the lord of the ri', { delay: 20 });
    await page.getByRole('listbox').getByRole('option').first().waitFor();
    await noOverflow('the open typeahead');

    await page.goto('/person/999999999');
    await page.getByRole('heading', { level: 1, name: 'We don’t know that person' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
