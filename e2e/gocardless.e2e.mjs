// A real third-party GoCardless Bank Account Data client, nordigen-node (GoCardless's own npm package, pinned in
// package-lock.json), pointed at openfinq's /api/v2 with baseUrl; Debian's chromium (playwright-core) is the end-user
// who approves at the sandbox bank. Inputs (environment): E2E_BASE, E2E_SECRET_ID, E2E_SECRET_KEY, E2E_OUT (a JSON
// file: what the client read; OUT.partial is written before the delete, and the script waits for OUT.go, so the Java
// test checks the values against /v1 while the consent is active). Exit code 0 only if every check passed.
import NordigenClient from 'nordigen-node';
import { chromium } from 'playwright-core';
import { existsSync, writeFileSync } from 'node:fs';

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`missing environment variable ${name}`); process.exit(2); }
  return v;
};
const BASE = env('E2E_BASE');
const OUT = env('E2E_OUT');
const REDIRECT = 'https://app.example/gocardless-connected';
const failures = [];
const expect = (cond, msg) => { if (!cond) { failures.push(msg); console.error('FAIL: ' + msg); } };

const client = new NordigenClient({ secretId: env('E2E_SECRET_ID'), secretKey: env('E2E_SECRET_KEY'), baseUrl: BASE + '/api/v2' });
const out = {};
let browser;
try {
  const tokens = await client.generateToken();
  expect(typeof tokens.access === 'string' && tokens.access.split('.').length === 3, 'access is a JWT');
  expect(tokens.access_expires === 86400 && tokens.refresh_expires === 2592000, 'token lifetimes ' + JSON.stringify(tokens));
  const exp = JSON.parse(Buffer.from(tokens.access.split('.')[1], 'base64url').toString()).exp;
  expect(exp > Date.now() / 1000, 'the access JWT has a future exp');
  const refreshed = await client.exchangeToken({ refreshToken: tokens.refresh });
  expect(typeof refreshed.access === 'string', 'token/refresh gives an access token');
  client.token = refreshed.access;

  const institutions = await client.institution.getInstitutions({ country: 'RO' });
  expect(institutions.some((i) => i.id === 'SANDBOXFINANCE_SFIN0000'), 'the sandbox bank is listed: ' + JSON.stringify(institutions));
  const sandbox = await client.institution.getInstitutionById('SANDBOXFINANCE_SFIN0000');
  out.institution = sandbox;

  const reference = 'nn-' + Date.now();
  const requisition = await client.initSession({ redirectUrl: REDIRECT, institutionId: 'SANDBOXFINANCE_SFIN0000', referenceId: reference });
  expect(requisition.status === 'CR' && requisition.link && requisition.agreement, 'a new requisition: ' + JSON.stringify(requisition));
  out.requisition = requisition;

  // the end-user: the link, openfinq's Connect pages, the sandbox bank, back to the app with ?ref=
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic'] });
  const context = await browser.newContext({ locale: 'en-GB' });
  let landed = null;
  // the app's page does not exist: the browser's last hop (openfinq's 302 to the redirect) is read, not followed
  await context.route('**/api/v2/link/*/return**', async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    landed = response.status() === 302 ? response.headers()['location'] : 'status ' + response.status();
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>connected</p>' });
  });
  const page = await context.newPage();
  await page.goto(requisition.link);
  await page.waitForSelector('ul.banks a');
  await Promise.all([page.waitForNavigation(), page.click('ul.banks a')]);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/authorize"] button')]);
  await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
  await page.waitForSelector('input[name="psu_id"]');
  await page.fill('input[name="psu_id"]', 'alice');
  await page.fill('input[name="password"]', 'sandbox');
  await Promise.all([page.waitForNavigation(), page.click('button[name="action"][value="login"]')]);
  await page.waitForSelector('button[name="decision"][value="approve"]');
  await Promise.all([page.waitForNavigation(), page.click('button[name="decision"][value="approve"]')]);
  await page.waitForURL(/\/connect\/f\/.*\/return/);
  await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
  await page.waitForURL(/\/api\/v2\/link\/.*\/return/);
  expect(landed === REDIRECT + '?ref=' + reference, 'back at the redirect with ?ref=: ' + landed);
  await context.close();

  // the client polls until LN with accounts (the first sync runs while the end-user is present)
  let linked;
  for (let i = 0; i < 600; i++) {
    linked = await client.requisition.getRequisitionById(requisition.id);
    if (linked.status === 'LN' && linked.accounts.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(linked.status === 'LN' && linked.accounts.length > 0, 'requisition LN with accounts: ' + JSON.stringify(linked));
  out.linked = linked;

  out.accounts = [];
  const today = new Date().toISOString().slice(0, 10);
  for (const id of linked.accounts) {
    const account = client.account(id);
    const metadata = await account.getMetadata();
    const details = await account.getDetails();
    const balances = await account.getBalances();
    const transactions = await account.getTransactions({ dateFrom: '2000-01-01', dateTo: today });
    expect(Array.isArray(transactions.transactions.booked) && Array.isArray(transactions.transactions.pending), 'booked and pending arrays');
    expect(balances.balances.some((b) => b.balanceType === 'interimAvailable'), 'an interimAvailable balance');
    out.accounts.push({ id, metadata, details, balances, transactions });
  }

  // what the client read goes to the Java test, which checks it against /v1 while the consent is still active
  writeFileSync(OUT + '.partial', JSON.stringify(out, null, 2));
  for (let i = 0; i < 600 && !existsSync(OUT + '.go'); i++) await new Promise((r) => setTimeout(r, 200));
  expect(existsSync(OUT + '.go'), 'the Java side checked the values against /v1');

  // a requisition list as leggen reads it, a 404 in GoCardless's shape, then delete
  const list = await client.requisition.getRequisitions();
  expect(typeof list.count === 'number' && Array.isArray(list.results) && 'next' in list && 'previous' in list, 'list shape');
  expect(list.results.some((r) => r.id === requisition.id), 'the requisition is listed');
  out.list = list;
  try {
    await client.requisition.getRequisitionById('00000000-0000-0000-0000-000000000000');
    expect(false, 'an unknown requisition answers 404');
  } catch (e) {
    expect(e.response && e.response.status === 404 && e.response.data.status_code === 404 && e.response.data.summary,
      'a 404 with summary/detail/status_code: ' + JSON.stringify(e.response && e.response.data));
    out.notFound = e.response.data;
  }
  out.deleted = await client.requisition.deleteRequisition(requisition.id);
  expect(out.deleted.summary === 'Requisition deleted', 'delete answers "Requisition deleted": ' + JSON.stringify(out.deleted));
} catch (e) {
  failures.push(String(e.stack || e) + (e.response ? ' ' + e.response.status + ' ' + JSON.stringify(e.response.data) : ''));
  console.error('FAIL: ' + failures[failures.length - 1]);
} finally {
  if (browser) await browser.close();
}
writeFileSync(OUT, JSON.stringify(out, null, 2));
console.log(failures.length === 0 ? 'nordigen-node against openfinq /api/v2: all checks passed' : `${failures.length} check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
