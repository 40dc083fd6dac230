// Browser tests of the hosted pages in a real Chromium (Debian's /usr/bin/chromium driven by playwright-core).
// axe-core runs on every page; screenshots of each page at desktop size and at 390 px go to E2E_OUT.
// Inputs (environment): E2E_BASE, E2E_CLIENT_ID, E2E_CLIENT_SECRET,
// E2E_DEBTOR_IBAN (alice's first account), E2E_OUT. Exit code 0 only if every check passed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`missing environment variable ${name}`); process.exit(2); }
  return v;
};
const BASE = env('E2E_BASE');
const CLIENT_ID = env('E2E_CLIENT_ID');
const CLIENT_SECRET = env('E2E_CLIENT_SECRET');
const DEBTOR = env('E2E_DEBTOR_IBAN');
const OUT = env('E2E_OUT');
const APP = 'https://app.example/connected';
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

mkdirSync(OUT, { recursive: true });
const report = { pages: [], flows: [] };
const failures = [];
const fail = (msg) => { failures.push(msg); console.error('FAIL: ' + msg); };
const expect = (cond, msg) => { if (!cond) fail(msg); };

async function api(path, body) {
  const r = await fetch(BASE + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

async function connectSession(extra = {}) {
  const r = await api('/v1/connect/sessions', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, tenant_user_id: 'e2e-user',
    psu_redirect_link: APP, ...extra });
  if (r.status !== 200) throw new Error('connect/sessions answered ' + r.status + ' ' + JSON.stringify(r.json));
  return r.json.connect_url;
}

/** axe-core on the page as it is, plus screenshots at desktop size and 390 px. */
async function check(page, name, { screenshot = true } = {}) {
  const viewport = page.viewportSize();
  const results = [];
  for (const [label, size] of [['desktop', DESKTOP], ['mobile', MOBILE]]) {
    await page.setViewportSize(size);
    await page.evaluate(AXE);
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const serious = axe.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    results.push({ viewport: label, violations: axe.length, serious: serious.length, ids: axe.map((v) => `${v.id}(${v.impact})`) });
    expect(serious.length === 0, `${name} (${label}): serious/critical axe violations ${JSON.stringify(serious)}`);
    if (label === 'mobile') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 0, `${name}: wider than 390 px by ${overflow} px`);
    }
    if (screenshot) await page.screenshot({ path: join(OUT, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(viewport);
  report.pages.push({ page: name, url: page.url().replace(/[?].*/, ''), axe: results });
}

function watchCsp(page, name) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) fail(`${name}: CSP violation: ${m.text()}`);
  });
}

/** A fresh browser context; with noScript the pages' small script is not served (the main path must work without it). */
async function newPage(browser, viewport, name, lang, noScript = false) {
  const context = await browser.newContext({ viewport, locale: lang || 'en-GB' });
  if (noScript) {
    await context.route('**/connect/assets/connect.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  }
  await context.route('https://app.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html',
    body: '<!doctype html><html lang="en"><title>Tenant app</title><h1>Back in the tenant app</h1></html>' }));
  const page = await context.newPage();
  watchCsp(page, name);
  return { context, page };
}

/** The sandbox bank's pages, as a user: sign in, then approve or deny. */
async function bank(page, decision, shoot) {
  await page.waitForSelector('input[name="psu_id"]');
  if (shoot) await check(page, 'bank-login');
  await page.fill('input[name="psu_id"]', 'alice');
  await page.fill('input[name="password"]', 'sandbox');
  await Promise.all([page.waitForNavigation(), page.click('button[name="action"][value="login"]')]);
  await page.waitForSelector(`button[name="decision"][value="${decision}"]`);
  if (shoot) await check(page, 'bank-approve');
  await Promise.all([page.waitForNavigation(), page.click(`button[name="decision"][value="${decision}"]`)]);
}

async function timed(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    report.flows.push({ flow: name, ms: Date.now() - t0, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    report.flows.push({ flow: name, ms: Date.now() - t0, ok: false, error: String(e) });
    fail(`${name}: ${e.stack || e}`);
  }
}

// playwright-core starts Chromium on a fresh temporary --user-data-dir of its own and removes it on close
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic'],
});
try {
  await timed('connect AIS end to end at 390 px (picker, consent, bank login, approve, result, temp_token, data)', async () => {
    const { context, page } = await newPage(browser, MOBILE, 'ais', 'en-GB', true);
    await page.goto(await connectSession());
    await page.waitForSelector('ul.banks a');
    await check(page, 'picker');
    // keyboard: Tab to the bank and press Enter
    await page.focus('#q');
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.closest('ul.banks') != null);
    }
    expect(reached, 'the bank link is reachable with Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.waitForSelector('form[action$="/authorize"] button');
    expect((await page.textContent('main')).includes('E2E Budget'), 'the consent page names the app');
    expect((await page.textContent('main')).includes('90'), 'the consent page says for how long');
    await check(page, 'consent');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/authorize"] button')]);
    await page.waitForSelector('a[data-auto-follow]');
    await check(page, 'bank-handoff');
    await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
    await bank(page, 'approve', true);
    await page.waitForURL(/\/connect\/f\/.*\/return/);
    await check(page, 'result');
    await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
    const url = new URL(page.url());
    const token = url.searchParams.get('temp_token');
    expect(token, 'temp_token on the tenant redirect: ' + page.url());
    const ex = await api('/v1/tokens', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, temp_token: token });
    expect(ex.status === 200, 'token exchange ' + JSON.stringify(ex.json));
    const accounts = await api('/v1/accounts/get', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
      credentials_id: ex.json.credentials_id, access_token: ex.json.access_token, tenant_user_id: 'e2e-user' });
    expect(accounts.status === 200 && accounts.json.length > 0, 'accounts after Connect: ' + JSON.stringify(accounts.json).slice(0, 200));
    await context.close();
  });

  await timed('deny at the bank comes back as error=tpp_redirect_error', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'deny', 'en-GB', true);
    await page.goto(await connectSession());
    await Promise.all([page.waitForNavigation(), page.click('ul.banks a')]);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/authorize"] button')]);
    await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
    await bank(page, 'deny', false);
    await page.waitForURL(/\/connect\/f\/.*\/return/);
    await check(page, 'result-denied');
    await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
    const q = new URL(page.url()).searchParams;
    expect(q.get('error') === 'tpp_redirect_error' && q.get('message') && !q.get('temp_token'), 'deny redirect: ' + page.url());
    await context.close();
  });

  await timed('cancel comes back as error=user_cancelled', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'cancel', 'en-GB', true);
    await page.goto(await connectSession());
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/cancel"] button')]);
    await check(page, 'cancelled');
    await Promise.all([page.waitForNavigation(), page.click('a[data-auto-follow]')]);
    const q = new URL(page.url()).searchParams;
    expect(page.url().startsWith(APP) && q.get('error') === 'user_cancelled', 'cancel redirect: ' + page.url());
    await context.close();
  });

  await timed('connect PIS end to end in Romanian (payment confirmed on the hosted page)', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'pis', 'ro-RO');
    await page.goto(await connectSession({ payment_intent: { psu_id: 'alice', payment_info: [{ debtor_account: { iban: DEBTOR },
      credit_transfer_transaction_info: [{ end_to_end_id: 'E2E-1', instructed_amount: { amount: '42.50', currency: 'RON' },
        creditor_name: 'Magazin Exemplu SRL', creditor_account: { iban: 'RO66BACX0000001234567890' },
        remittance_information_unstructured: 'Comanda 1' }] }] } }));
    await page.waitForSelector('ul.banks a');
    expect((await page.getAttribute('html', 'lang')) === 'ro', 'Romanian by Accept-Language');
    await Promise.all([page.waitForNavigation(), page.click('ul.banks a')]);
    const text = await page.textContent('main');
    expect(text.includes('42.50') && text.includes('Magazin Exemplu SRL'), 'the payment page shows amount and creditor');
    await check(page, 'payment-confirm');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/authorize"] button')]);
    await bank(page, 'approve', false);
    await page.waitForURL(/app\.example/, { timeout: 15000 });
    const q = new URL(page.url()).searchParams;
    expect(q.get('payment_id') && q.get('status') && !q.get('error'), 'PIS redirect: ' + page.url());
    await context.close();
  });

  await timed('refused pages: a used connect_url and a forged one', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'refused');
    const url = await connectSession();
    await page.goto(url);
    const again = await page.goto(url);
    expect(again.status() === 410, 'second use answers 410, got ' + again.status());
    await check(page, 'refused');
    const forged = await page.goto(BASE + '/connect/s/forged-token');
    expect(forged.status() === 404 && (await page.textContent('main')).includes('not valid'), 'forged link page');
    await context.close();
  });

  await timed('GET / index', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'index');
    await page.goto(BASE + '/');
    expect(await page.isVisible('a[href="/docs"]') && await page.isVisible('a[href="/demo"]') && await page.isVisible('a[href="/health"]'),
      'index links to docs, demo, health');
    await check(page, 'index');
    await context.close();
  });

  await timed('demo app: Connect a bank, back with data and transactions', async () => {
    const { context, page } = await newPage(browser, DESKTOP, 'demo');
    await page.goto(BASE + '/demo');
    await check(page, 'demo-home');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/demo/connect"] button')]);
    await Promise.all([page.waitForNavigation(), page.click('ul.banks a')]);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/authorize"] button')]);
    await bank(page, 'approve', false);
    await page.waitForURL(/\/demo\/accounts/, { timeout: 15000 });
    const t0 = Date.now();
    await page.waitForFunction(() => document.querySelectorAll('#transactions tbody tr').length > 0
      && document.querySelector('#sync')?.textContent === 'ready', null, { timeout: 60000 });
    report.flows.push({ flow: 'demo: transactions shown after the callback', ms: Date.now() - t0, ok: true });
    await check(page, 'demo-accounts');
    await context.close();
  });
} finally {
  await browser.close();
  writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 2));
}
for (const p of report.pages) {
  console.log(`axe ${p.page}: ` + p.axe.map((a) => `${a.viewport} ${a.violations} violations, ${a.serious} serious/critical ${a.ids.join(' ')}`).join('; '));
}
if (failures.length) {
  console.error(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log('all browser checks passed');
