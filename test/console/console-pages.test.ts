// The console's pages and actions over HTTP, signed in: the case list with its filters, search,
// paging and "needs attention"; one case with its masked contact, messages and timeline; resend,
// close and show-contact, each confirmed and answered 303; the funnel's period; languages; refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertCase } from '../../server/cases/case-repository.ts';
import type { CaseKind, CaseStatus } from '../../server/cases/case-types.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { upsertUser } from '../../server/users/user-repository.ts';
import { ADMIN_PASSWORD, csrfIn, pageOf, postForm, signedInAgent, type ConsoleAgent } from '../support/console-session.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;
const PORTAL_TOKEN = /https:\/\/relink\.example\.com\/r\/([A-Za-z0-9_-]{35})/;

let t: TestApp;
let agent: ConsoleAgent;
before(async () => {
  t = await startTestApp({ env: { ADMIN_PASSWORD } });
  agent = await signedInAgent(t.app, { 'Accept-Language': 'en' });
});
after(() => t.close());

const db = () => t.database.db;
/** Moves the clock; the operator signs in again, as after a break longer than the session's idle time. */
async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  agent = await signedInAgent(t.app, { 'Accept-Language': 'en' });
}
const location = (res: { headers: Record<string, string> }) => String(res.headers['location']);
const ids = (html: string) => [...html.matchAll(/data-case-id="(\d+)"/g)].map((m) => Number(m[1]));
/** The case ids of the main list only (after the filters). */
const listed = (html: string) => ids(html.slice(html.indexOf('id="list-heading"')));
const attentionIds = (html: string) =>
  html.includes('id="attention-heading"') ? ids(html.slice(html.indexOf('id="attention-heading"'), html.indexOf('id="filters-heading"'))) : [];

/** A registered person and a case the worker has messaged through the dev inbox. */
async function messagedCase(person: { email?: string; phone?: string; name?: string } = {}, institution = 'erebor_mx_retail') {
  const externalId = `cust-${randomUUID().slice(0, 8)}`;
  const linkId = randomUUID();
  await putUser(t.app, externalId, { email: `${externalId}@example.com`, ...person }).expect(201);
  await putLink(t.app, linkId, { external_id: externalId, institution });
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return { caseId: theCase!.id, linkId, externalId };
}

/** A case written straight into the database, for list filters and paging. */
async function storedCase(options: { kind?: CaseKind; status?: CaseStatus; institution?: string; createdAt?: number } = {}) {
  const linkId = randomUUID();
  return insertCase(
    db(),
    {
      linkId,
      kind: options.kind ?? 'credentials',
      status: options.status ?? 'open',
      userId: null,
      externalId: null,
      institution: options.institution ?? 'erebor_mx_retail',
      details: {},
    },
    options.createdAt ?? t.clock.now(),
  );
}

async function timeline(caseId: number) {
  return (await getApi(t.app, `/cases/${caseId}`)).body.timeline as Array<{ type: string; detail: Record<string, unknown> | null }>;
}

describe('the case list', () => {
  test('shows each case newest first with its status, kind, bank, channel, age, link id and a plain summary', async () => {
    const { caseId, linkId } = await messagedCase({}, 'ofmockbank_br_retail');
    await advance(2 * 3_600_000);
    const res = await agent.get('/admin/cases');
    assert.equal(res.status, 200);
    assert.equal(pageOf(res.text), 'cases');
    assert.equal(listed(res.text)[0], caseId);
    const row = res.text.slice(res.text.indexOf(`data-case-id="${caseId}"`));
    assert.match(row, new RegExp(`href="/admin/cases/${caseId}"`));
    assert.match(row, new RegExp(linkId));
    assert.match(row, /Messaged 2 hours ago by e-mail/);
    assert.match(row, /status-notified">Messaged/);
    assert.match(row, /New password/);
    assert.match(row, /Ofmockbank/);
    assert.match(row, /<dd><span title="[^"]+">2 h<\/span><\/dd>/);
  });

  test('filters by status, kind and institution', async () => {
    const mfa = await storedCase({ kind: 'mfa', institution: 'banamex_mx_retail' });
    const consent = await storedCase({ kind: 'consent', status: 'expired', institution: 'banamex_mx_retail' });
    assert.deepEqual(listed((await agent.get('/admin/cases?kind=mfa')).text), [mfa]);
    assert.deepEqual(listed((await agent.get('/admin/cases?institution=banamex_mx_retail')).text), [consent, mfa]);
    assert.deepEqual(listed((await agent.get('/admin/cases?status=expired&institution=banamex_mx_retail')).text), [consent]);
    const empty = await agent.get('/admin/cases?status=failed&kind=mfa');
    assert.match(empty.text, /No case matches these filters/);
  });

  test('searches external ids, e-mail addresses, phone numbers and link ids', async () => {
    const maria = await messagedCase({ email: 'maria.lopez@example.com', phone: '+525512349876' });
    const other = await messagedCase({ email: 'someone@example.com' });
    const search = async (q: string) => listed((await agent.get(`/admin/cases?q=${encodeURIComponent(q)}`)).text);
    assert.deepEqual(await search('MARIA.lopez'), [maria.caseId]);
    assert.deepEqual(await search('55 1234 9876'), [maria.caseId]);
    assert.deepEqual(await search(maria.linkId.slice(0, 13)), [maria.caseId]);
    assert.deepEqual(await search(other.externalId), [other.caseId]);
    assert.deepEqual(await search('%'), [], 'a wildcard typed is a character, not "anything"');
  });

  test('pages by 50, newest first, keeping the filters', async () => {
    const created: number[] = [];
    for (let i = 0; i < 53; i += 1) created.push(await storedCase({ institution: 'paging_mx_bank' }));
    const first = await agent.get('/admin/cases?institution=paging_mx_bank');
    assert.deepEqual(listed(first.text), created.slice(3).reverse());
    const older = /href="([^"]+)" rel="next"/.exec(first.text)![1]!.replaceAll('&amp;', '&');
    assert.match(older, /institution=paging_mx_bank/);
    const second = await agent.get(older);
    assert.deepEqual(listed(second.text), created.slice(0, 3).reverse());
    assert.doesNotMatch(second.text, /rel="next"/);
  });

  test('a filter value that cannot be read answers 400 with the whole list and a message', async () => {
    const res = await agent.get('/admin/cases?status=done');
    assert.equal(res.status, 400);
    assert.match(res.text, /role="alert"/);
  });

  test('"needs attention" lists cases open over a day that no message reached, and only those', async () => {
    const start = t.clock.now();
    const unreached = await storedCase({ status: 'unreachable', createdAt: start });
    const reached = await messagedCase();
    const recent = await storedCase({ createdAt: start + DAY });
    const ended = await storedCase({ status: 'closed', createdAt: start });
    await advance(DAY + 60_000);
    const page = await agent.get('/admin/cases');
    const attention = attentionIds(page.text);
    assert.ok(attention.includes(unreached));
    for (const id of [reached.caseId, recent, ended]) assert.ok(!attention.includes(id), `case ${id} needs nothing`);
    assert.deepEqual(attentionIds((await agent.get('/admin/cases?kind=credentials')).text), [], 'a filtered list is about something else');
    const only = await agent.get('/admin/cases?attention=1');
    assert.ok(listed(only.text).includes(unreached));
    assert.ok(!listed(only.text).includes(reached.caseId));
  });

  test('/admin is the case list, its filters kept', async () => {
    const res = await agent.get('/admin?kind=mfa');
    assert.equal(res.status, 303);
    assert.equal(location(res), '/admin/cases?kind=mfa');
  });
});

describe('one case', () => {
  test('shows its facts, the contact masked, the messages with their delivery and the timeline', async () => {
    const { caseId, linkId } = await messagedCase({ email: 'ana.maria@example.com', phone: '+5215512345678', name: 'Ana' });
    const res = await agent.get(`/admin/cases/${caseId}`);
    assert.equal(res.status, 200);
    assert.equal(pageOf(res.text), 'case');
    assert.match(res.text, new RegExp(linkId));
    assert.match(res.text, /data-status="notified"/);
    assert.match(res.text, /a•••@example\.com/);
    assert.match(res.text, /\+52•••5678/);
    assert.doesNotMatch(res.text, /ana\.maria@example\.com|5512345678/);
    assert.match(res.text, /data-delivery="sent">Sent/);
    assert.match(res.text, /data-type="message_sent"/);
    assert.match(res.text, /data-action="resend"/);
    assert.match(res.text, /data-action="close"/);
  });

  test('showing the full contact is a recorded POST, and lasts ten minutes for that case only', async () => {
    const { caseId } = await messagedCase({ email: 'shown@example.com' });
    const other = await messagedCase({ email: 'hidden@example.com' });
    const res = await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/contact`);
    assert.equal(res.status, 303);
    assert.equal(location(res), `/admin/cases/${caseId}#person`);
    const page = await agent.get(`/admin/cases/${caseId}`);
    assert.match(page.text, /shown@example\.com/);
    assert.match(page.text, /role="status">Full contact shown/);
    const recorded = (await timeline(caseId)).at(-1)!;
    assert.equal(recorded.type, 'contact_revealed');
    assert.deepEqual(recorded.detail, { by: 'console', operator: 'admin' });
    assert.doesNotMatch((await agent.get(`/admin/cases/${other.caseId}`)).text, /hidden@example\.com/);
    t.clock.advance(11 * 60_000);
    assert.doesNotMatch((await agent.get(`/admin/cases/${caseId}`)).text, /shown@example\.com/);
  });

  test('an unknown case, or an id that is not one, answers the 404 page', async () => {
    for (const path of ['/admin/cases/999999', '/admin/cases/abc', '/admin/nowhere']) {
      const res = await agent.get(path);
      assert.equal(res.status, 404, path);
      assert.equal(pageOf(res.text), 'problem');
    }
    const post = await postForm(agent, '/admin/cases', '/admin/cases/999999/resend', { confirm: 'yes' });
    assert.equal(post.status, 404);
  });
});

describe('resend and close', () => {
  test('resend asks for confirmation first, then queues the message, records who asked, and says so', async () => {
    const { caseId, externalId } = await messagedCase({ phone: '+5215511110000' });
    const asked = await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/resend`);
    assert.equal(asked.status, 303);
    assert.equal(location(asked), `/admin/cases/${caseId}?confirm=resend#confirm`);
    assert.equal((await timeline(caseId)).filter((e) => e.type === 'message_queued').length, 1, 'nothing queued before confirming');

    const confirmPage = await agent.get(`/admin/cases/${caseId}?confirm=resend`);
    assert.match(confirmPage.text, /id="channel-email"[^>]* checked/);
    assert.match(confirmPage.text, /SMS to \+52•••0000/);
    const done = await agent
      .post(`/admin/cases/${caseId}/resend`)
      .type('form')
      .send({ _csrf: csrfIn(confirmPage.text), confirm: 'yes', channel: 'sms' });
    assert.equal(done.status, 303);
    assert.equal(location(done), `/admin/cases/${caseId}`);
    const page = await agent.get(`/admin/cases/${caseId}`);
    assert.match(page.text, /role="status">Message queued: it goes out by SMS/);

    const requested = (await timeline(caseId)).find((e) => e.type === 'resend_requested');
    assert.deepEqual(requested?.detail, { by: 'console', operator: 'admin', channel: 'sms' });
    await t.worker.runOnce();
    const texts = await db()('dev_inbox').where({ channel: 'sms', recipient: '+5215511110000' });
    assert.equal(texts.length, 1);
    assert.ok(externalId);
  });

  test('close asks for confirmation, then closes with the reason, and the case’s link stops working', async () => {
    const { caseId, externalId } = await messagedCase();
    const [mail] = await db()('dev_inbox').where({ recipient: `${externalId}@example.com` });
    const token = PORTAL_TOKEN.exec(mail!.text)![1];
    assert.equal((await request(t.app).get(`/r/${token}`)).status, 200);

    const asked = await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/close`);
    assert.equal(location(asked), `/admin/cases/${caseId}?confirm=close#confirm`);
    const done = await postForm(agent, `/admin/cases/${caseId}?confirm=close`, `/admin/cases/${caseId}/close`, {
      confirm: 'yes',
      reason: 'Customer called: they fixed it in the app',
    });
    assert.equal(done.status, 303);
    const page = await agent.get(`/admin/cases/${caseId}`);
    assert.match(page.text, /role="status">Case closed/);
    assert.match(page.text, /data-status="closed"/);
    assert.doesNotMatch(page.text, /data-action="(resend|close)"/, 'nothing left to do on an ended case');
    assert.deepEqual((await timeline(caseId)).at(-1)!.detail, { by: 'console', operator: 'admin', reason: 'Customer called: they fixed it in the app' });
    assert.match(page.text, /Closed by admin \(console\): “Customer called/);

    const link = await request(t.app).get(`/r/${token}`);
    assert.equal(link.status, 410);
    assert.match(link.text, /data-state="expired"/);
  });

  test('a refused action leaves the case as it was and says why', async () => {
    const { caseId } = await messagedCase();
    await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/close`, { confirm: 'yes' });
    const res = await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/resend`, { confirm: 'yes' });
    assert.equal(res.status, 303);
    const page = await agent.get(`/admin/cases/${caseId}`);
    assert.match(page.text, /role="alert">This case has ended, so nothing was sent/);
    assert.ok(!(await timeline(caseId)).some((e) => e.type === 'resend_requested'));
  });

  test('a reason longer than 500 characters is refused and the case stays open', async () => {
    const { caseId } = await messagedCase();
    const res = await postForm(agent, `/admin/cases/${caseId}`, `/admin/cases/${caseId}/close`, { confirm: 'yes', reason: 'x'.repeat(501) });
    assert.equal(res.status, 303);
    assert.match((await agent.get(`/admin/cases/${caseId}`)).text, /role="alert">That form could not be read/);
    assert.equal((await db()('cases').where({ id: caseId }).first())!.status, 'notified');
  });
});

describe('the funnel page', () => {
  test('shows a period of whole days, the last 30 by default', async () => {
    const res = await agent.get('/admin/funnel');
    assert.equal(res.status, 200);
    assert.equal(pageOf(res.text), 'funnel');
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    assert.match(res.text, new RegExp(`id="to" name="to" type="date" value="${today}"`));
  });

  for (const query of ['from=2026-11-10&to=2026-11-01', 'from=2025-01-01&to=2026-11-01', 'from=tomorrow']) {
    test(`?${query} answers 400 with the form and a message`, async () => {
      const res = await agent.get(`/admin/funnel?${query}`);
      assert.equal(res.status, 400);
      assert.match(res.text, /role="alert">That period cannot be read/);
      assert.doesNotMatch(res.text, /data-stage=/);
    });
  }
});

describe('languages', () => {
  test('Spanish without a preference, Portuguese and English when the browser asks', async () => {
    const spanish = await signedInAgent(t.app);
    const es = await spanish.get('/admin/cases');
    assert.match(es.text, /<html lang="es">/);
    assert.match(es.text, /<h1>Casos<\/h1>/);
    const pt = await spanish.get('/admin/funnel').set('Accept-Language', 'pt-BR,pt;q=0.9');
    assert.match(pt.text, /<html lang="pt-BR">/);
    assert.match(pt.text, /Do link quebrado ao link resolvido/);
    assert.equal(pt.headers['content-language'], 'pt-BR');
    assert.match(pt.text, /<span class="brand-name">Demo Fintech<\/span>/, 'BRAND_NAME beside the product');
    assert.match(String(pt.headers['vary']), /Accept-Language/);
  });
});

// The person's user record matters to resend; one created straight in the database works the same.
test('a case whose user was stored without a webhook is listed with its summary', async () => {
  const { user } = await upsertUser(db(), `direct-${randomUUID()}`, { email: 'direct@example.com' }, t.clock.now());
  const id = await insertCase(
    db(),
    { linkId: randomUUID(), kind: 'credentials', status: 'open', userId: user.id, externalId: user.externalId, institution: null, details: {} },
    t.clock.now(),
  );
  const res = await agent.get(`/admin/cases?q=direct%40example.com`);
  assert.deepEqual(listed(res.text), [id]);
  assert.match(res.text, /Not messaged yet/);
  assert.match(res.text, /Unknown bank/);
});
