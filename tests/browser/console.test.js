// The operator console in a real Chromium (docs/console.md): sign-in with a token through the
// form, a wrong token refused, a read session marked as such, Today, the customer search and a
// customer's page whose customer is named <script>alert(1)</script> and whose invoice id has
// quotes: shown as text, no script run. The pictures in docs/console/ are taken here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openSession, saveScreenshots } from './support/index.js';

const NOW = '2026-03-06T12:00:00Z';
const HOSTILE = '<script>alert(1)</script>';

let cobrador;
const dialogs = [];
before(async () => {
  cobrador = await openSession({ now: NOW, apiClients: { reader: ['read'], ops: ['operator'], erp: ['billing'] } });
  for (const kind of ['customers', 'services', 'invoices']) await cobrador.ctl.importCsv(kind, `console-${kind}.csv`);
  // Day 4 of the hostile customer's invoice: the example policy's reminder and warning run.
  await cobrador.ctl.json(['walk', '--date', '2026-03-06']);
}, { timeout: 60_000 });
after(() => cobrador?.close());

// A fresh browser context (its own cookies) signed in with `token`; answers its page.
async function signedIn(token) {
  const context = await cobrador.browser.createBrowserContext();
  const page = await context.newPage();
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${cobrador.url}/console/`);
  assert.equal(new URL(page.url()).pathname, '/console/sign-in', 'not signed in: the sign-in page');
  await page.type('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}

const text = (page, selector) => page.$eval(selector, (node) => node.textContent);

test('the operator token signs in through the form and Today shows the book', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.ops);
  assert.equal(new URL(page.url()).pathname, '/console/');
  assert.equal(await text(page, 'h1'), 'Today');
  const who = await text(page, '.who');
  assert.match(who, /ops \(operator\)/);
  const body = await text(page, 'main');
  assert.match(body, /Customers in dunning/);
  assert.match(body, /The last walk/);
  assert.match(body, /2026-03-06/, 'the walk of the 6th is the last one');
  assert.ok(await page.$('svg.chart'), 'the next 30 days are drawn');
  // The cookie is out of the page's reach.
  assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is HttpOnly');
  await saveScreenshots(page, 'today');
  // The keyboard's first stop is the skip link.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the page');
});

test('a wrong token and a billing token stay on the sign-in page with the reason', { timeout: 60_000 }, async () => {
  for (const token of ['not-a-token', cobrador.tokens.erp]) {
    const context = await cobrador.browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${cobrador.url}/console/sign-in`);
    await page.type('#token', token);
    const [answer] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(answer.status(), 401);
    assert.equal(await text(page, '[role=alert]'), 'This token does not open the console.');
    await page.goto(`${cobrador.url}/console/`);
    assert.equal(new URL(page.url()).pathname, '/console/sign-in', 'still not signed in');
    if (token === 'not-a-token') await saveScreenshots(page, 'sign-in');
    await context.close();
  }
});

test('a read token opens a read-only session', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.reader);
  assert.match(await text(page, '.who'), /reader \(read only\)/);
});

test('a customer named <script>alert(1)</script> is shown as text, and no script runs', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.ops);
  await page.goto(`${cobrador.url}/console/customers?q=alert`);
  const link = await page.$('main table a');
  assert.ok(link, 'the search finds the customer by part of the name');
  assert.equal(await link.evaluate((a) => a.textContent), 'hostile');
  await saveScreenshots(page, 'search');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.equal(new URL(page.url()).pathname, '/console/customers/hostile');
  const main = await text(page, 'main');
  assert.ok(main.includes(HOSTILE), 'the name is on the page, as the text it is');
  assert.ok(main.includes(`INV-"7"'x`), 'the invoice id with its quotes is on the page');
  assert.equal(await page.evaluate(() => document.scripts.length), 0, 'no script element at all');
  assert.deepEqual(dialogs, [], 'no alert() ran');
  assert.match(main, /Everything that happened/);
  assert.match(main, /stage_run/, 'the walk of the 6th is in the timeline');
  await saveScreenshots(page, 'customer');
});
