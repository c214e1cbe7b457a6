// The operator console in a real Chromium (docs/console.md): sign-in with a token through the
// form, a wrong token refused, a read session marked as such, Today, the customer search and a
// customer's page whose customer is named <script>alert(1)</script> and whose invoice id has
// quotes: shown as text, no script run. The pictures in docs/console/ are taken here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { fixturesDir, openSession, saveScreenshots } from './support/index.js';

const NOW = '2026-03-06T12:00:00Z';
const HOSTILE = '<script>alert(1)</script>';

let cobrador;
const dialogs = [];
before(async () => {
  cobrador = await openSession({ now: NOW, apiClients: { reader: ['read'], ops: ['operator'], erp: ['billing'] } });
  for (const kind of ['customers', 'services', 'invoices']) await cobrador.ctl.importCsv(kind, `console-${kind}.csv`);
  // Day 4 of the hostile customer's invoice: the example policy's reminder and warning run.
  await cobrador.ctl.json(['walk', '--date', '2026-03-06']);
  // Money that fits no invoice: the Work page's "this pays invoice X".
  await cobrador.ctl.json(['bank', 'import', `${fixturesDir}/console-statement.csv`, '--source', 'bank']);
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

test('a read token opens a read-only session, which sees "Did dunning work?"', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.reader);
  assert.match(await text(page, '.who'), /reader \(read only\)/);
  await page.goto(`${cobrador.url}/console/dunning?month=2026-03`);
  assert.equal(await text(page, 'h1'), 'Did dunning work?');
  // One episode started in March: the hostile customer's (Bia's invoice is not due yet).
  assert.match(await text(page, '#ends'), /1 started in the month/);
  assert.ok(await page.$('#days svg.chart'), 'the days to recovery are drawn');
  await saveScreenshots(page, 'dunning');
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

// POST a form made in the page (the console's policy allows no fetch from a page, and forms only
// to itself), as a forged or hand-made form would be: answers the status of the page it gets.
async function postInPage(page, urlPath, form) {
  const [answer] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate((urlPath, form) => {
      const element = document.createElement('form');
      element.method = 'post';
      element.action = urlPath;
      for (const [name, value] of Object.entries(form)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        element.appendChild(input);
      }
      document.body.appendChild(element);
      element.submit();
    }, urlPath, form),
  ]);
  return answer.status();
}

test('a read session has no forms, and its posts are refused', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.reader);
  await page.goto(`${cobrador.url}/console/work`);
  assert.match(await text(page, '#unmatched'), /DEP-9/, 'the unmatched credit is listed');
  assert.equal(await page.$('#unmatched form'), null, 'no form for a read session');
  const csrf = await page.$eval('input[name=csrf]', (input) => input.value);
  const entry = await page.$eval('#unmatched tbody td', (td) => td.textContent);
  const status = await postInPage(page, `/console/bank-entries/${encodeURIComponent(entry)}/place`, { csrf, invoice: 'B-2001' });
  assert.equal(status, 403);
});

test('an operator places an unmatched credit on an invoice; a post without the CSRF token is refused', { timeout: 60_000 }, async () => {
  const page = await signedIn(cobrador.tokens.ops);
  await page.goto(`${cobrador.url}/console/work`);
  const action = await page.$eval('#unmatched form', (form) => new URL(form.action).pathname);
  assert.equal(await postInPage(page, action, { invoice: 'B-2001' }), 403, 'no CSRF token: refused');
  assert.match(await text(page, '[role=alert]'), /did not carry the session's token/);
  await page.goto(`${cobrador.url}/console/work`);
  const before = await cobrador.ctl.json(['show', 'customer', 'bia']);
  assert.deepEqual(before.balance, { BRL: '29.90' });

  await page.type('#unmatched input[name=invoice]', 'B-2001');
  await saveScreenshots(page, 'work');
  await Promise.all([page.waitForNavigation(), page.click('#unmatched button[type=submit]')]);
  assert.match(await text(page, '[role=status]'), /pays invoice B-2001 of bia/);
  const after = await cobrador.ctl.json(['show', 'customer', 'bia']);
  assert.deepEqual(after.balance, { BRL: '17.56' }, "the invoice's balance changed in the store");
  assert.match(await text(page, '#unmatched'), /Every bank credit found its invoice/);

  // The customer in dunning: the trust release the policy allows, shown before the click.
  await page.goto(`${cobrador.url}/console/customers/hostile`);
  assert.match(await text(page, '#trust-release'), /The policy allows a trust release now/);
  await page.type('#trust-release input[name=reason]', 'promised on the phone');
  await Promise.all([page.waitForNavigation(), page.click('#trust-release button[type=submit]')]);
  assert.match(await text(page, '[role=status]'), /Trust release granted until/);
  assert.match(await text(page, '#trust-release'), /open_promise/);
});
