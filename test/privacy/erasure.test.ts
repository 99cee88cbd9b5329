// DELETE /api/users/:externalId, on whichever database the suite runs on: the person's e-mail, phone,
// name and CPF are in no table afterwards (every table is read), their open cases are closed and
// their old link shows the ended page, their cases stay as anonymous counts, and a webhook naming
// them later meets an unknown user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Knex } from 'knex';
import { loadFunnelCases } from '../../server/console/funnel-repository.ts';
import { isSqlite } from '../../server/db/database.ts';
import { recordOperatorEvent } from '../../server/operator-webhooks/operator-events.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { ADMIN_PASSWORD, signedInAgent } from '../support/console-session.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { csrfOf, postForm, stateOf } from '../support/portal-test-app.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';

const PORTAL_LINK = /https:\/\/relink\.example\.com\/r\/([A-Za-z0-9_-]{35})/;

let t: TestApp;
before(async () => {
  t = await startTestApp({
    // Operator webhooks on (to a port where nobody listens): their deliveries name people too.
    env: { ADMIN_PASSWORD, STORM_GUARD: 'off', OPERATOR_WEBHOOK_URL: 'http://127.0.0.1:9/relink', OPERATOR_WEBHOOK_SECRET: newWebhookSecret() },
  });
});
after(() => t.close());

const api = (method: 'delete' | 'post', path: string) => request(t.app)[method](`/api${path}`).set('Authorization', `Bearer ${API_KEY}`);

interface Person {
  externalId: string;
  email: string;
  phone: string;
  name: string;
  cpf: string;
}

function aPerson(name: string, email: string, phone: string, cpf: string): Person {
  return { externalId: `person-${randomUUID()}`, email, phone, name, cpf };
}

/** A webhook for the person's link, worked off by the worker; the case it opened or changed. */
async function webhook(person: Person, linkId: string, seed = 'link-invalid-credentials'): Promise<{ id: number; status: string }> {
  await postWebhook(t.app, freshSeedWebhook(seed as 'link-invalid-credentials', { linkId, externalId: person.externalId })).expect(202);
  await t.worker.runOnce();
  const [found] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number; status: string }>;
  return found!;
}

async function register(person: Person): Promise<void> {
  await putUser(t.app, person.externalId, {
    email: person.email,
    phone: person.phone,
    name: person.name,
    locale: 'pt-BR',
    channels: ['email', 'sms'],
    document: { type: 'CPF', number: person.cpf },
  }).expect(201);
}

async function portalToken(email: string): Promise<string> {
  const rows = (await t.database.db('dev_inbox').where({ recipient: email }).orderBy('id')) as Array<{ text: string }>;
  return PORTAL_LINK.exec(rows.at(-1)!.text)![1]!;
}

/** Every table's rows as text, by table name. */
async function everyTable(db: Knex): Promise<Map<string, string>> {
  const names = isSqlite(db)
    ? ((await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as Array<{ name: string }>)
    : ((await db.raw('select table_name as name from information_schema.tables where table_schema = current_schema()')) as { rows: Array<{ name: string }> })
        .rows;
  const tables = new Map<string, string>();
  for (const { name } of names) tables.set(name, JSON.stringify(await db(name).select()));
  return tables;
}

function tablesHolding(tables: Map<string, string>, needles: readonly string[]): string[] {
  return [...tables].flatMap(([table, text]) => needles.filter((needle) => text.includes(needle)).map((needle) => `${table}: ${needle}`));
}

const needlesOf = (p: Person) => [p.email, p.phone, p.name, p.cpf, p.cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4')];
/** What the funnel counts of every case, in no particular order. */
const funnelShape = async () =>
  (await loadFunnelCases(t.database.db, { from: 0, to: Number.MAX_SAFE_INTEGER }))
    .map(({ kind, institution, channel, stages }) => JSON.stringify({ kind, institution, channel, stages }))
    .sort();

describe('DELETE /api/users/:externalId', () => {
  const ana = aPerson('Ana Apagada Souza', 'ana.apagada@example.com', '+5511987651234', '52998224725');
  const bia = aPerson('Bia Fica Lima', 'bia.fica@example.com', '+5511987655678', '11144477735');
  const openLink = randomUUID();
  const endedLink = randomUUID();
  const closedLink = randomUUID();
  const otherLink = randomUUID();
  let open: { id: number };
  let ended: { id: number };
  let closedByHand: { id: number };
  let token: string;
  let sid: string;

  before(async () => {
    await register(ana);
    await register(bia);
    await putLink(t.app, openLink, { external_id: ana.externalId, institution: 'ofmockbank_br_retail' }).expect(201);
    open = await webhook(ana, openLink);
    token = await portalToken(ana.email);
    ended = await webhook(ana, endedLink);
    await webhook(ana, endedLink, 'transactions-historical-update');
    closedByHand = await webhook(ana, closedLink);
    // The operator typed the person's details into a reason: erasure must find them there too.
    await api('post', `/cases/${closedByHand.id}/close`).send({ reason: `${ana.name} (${ana.email}) asked us to stop` }).expect(200);
    await webhook(bia, otherLink);

    // Ana opens her link and types a wrong password: her browser now has a session naming her case.
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    assert.equal(stateOf(page.text), 'password');
    const { post } = await postForm(agent, `/r/${token}/password`, { _csrf: csrfOf(page.text), password: 'wrong-one' });
    sid = decodeURIComponent(/relink\.sid=s%3A([^.;]+)/.exec(String(post.headers['set-cookie']))![1]!);
    assert.ok(await t.database.db('sessions').where({ sid }).first(), 'the session is stored');

    // An operator webhook about her case, whose endpoint answered by quoting what it got.
    type CaseView = Record<string, unknown> & { id: number; status: string };
    const { timeline: _, ...caseView } = (await getApi(t.app, `/cases/${open.id}`)).body as CaseView;
    const event = { type: 'case.updated' as const, data: { ...caseView, previous_status: 'open' } };
    await t.database.db.transaction((trx) => recordOperatorEvent(trx, event, t.clock.now()));
    const delivery = (await t.database.db('webhook_deliveries').where({ external_id: ana.externalId }).first('id', 'payload'))!;
    const answer = `unknown user ${ana.email}: ${delivery.payload}`.slice(0, 200);
    await t.database.db('webhook_deliveries').where({ id: delivery.id }).update({ last_status: 400, last_body: answer });
  });

  test('before: the person is in the database, so the check below proves something', async () => {
    const holding = tablesHolding(await everyTable(t.database.db), needlesOf(ana));
    for (const table of ['users', 'dev_inbox', 'case_timeline', 'webhook_deliveries']) {
      assert.ok(holding.some((hit) => hit.startsWith(`${table}:`)), `${table} holds Ana's data before: ${holding.join(', ')}`);
    }
    assert.equal((await getApi(t.app, `/cases/${ended.id}`)).body.status, 'resolved');
  });

  test('204, and her e-mail, phone, name and CPF are in no table; the other person is untouched', async () => {
    const funnelBefore = await funnelShape();
    const casesBefore = Number((await t.database.db('cases').count({ n: '*' }))[0]!.n);
    const res = await api('delete', `/users/${ana.externalId}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');

    const tables = await everyTable(t.database.db);
    assert.deepEqual(tablesHolding(tables, needlesOf(ana)), []);
    const namingHer = tablesHolding(tables, [ana.externalId]).filter((hit) => !hit.startsWith('events:'));
    assert.deepEqual(namingHer, [], 'nothing but the webhooks Belvo sent names her by her external id');
    assert.equal(tablesHolding(tables, needlesOf(bia)).filter((hit) => hit.startsWith('users:')).length, 4, 'Bia stays as she was');
    assert.equal((await getApi(t.app, `/users/${bia.externalId}`)).status, 200);

    // Anonymous counts: every case is still there and the funnel reads the same.
    assert.equal(Number((await t.database.db('cases').count({ n: '*' }))[0]!.n), casesBefore);
    assert.deepEqual(await funnelShape(), funnelBefore);
    assert.equal(await t.database.db('sessions').where({ sid }).first(), undefined, 'the session of her case is gone');
  });

  test('an operator webhook about her case no longer names her', async () => {
    const rows = (await t.database.db('webhook_deliveries').select('payload')) as Array<{ payload: string }>;
    const aboutHerCase = rows
      .map((row) => JSON.parse(row.payload) as { type: string; data: { id: number; external_id: unknown } })
      .filter((payload) => payload.type === 'case.updated' && payload.data.id === open.id);
    assert.ok(aboutHerCase.length > 0);
    assert.deepEqual(
      aboutHerCase.map((payload) => payload.data.external_id),
      aboutHerCase.map(() => null),
    );
  });

  test('her open case is closed by the erasure, her ended cases stay ended, and none names her any more', async () => {
    const openNow = (await getApi(t.app, `/cases/${open.id}`)).body as { status: string; timeline: Array<{ type: string; detail: unknown }> };
    assert.equal(openNow.status, 'closed');
    assert.deepEqual(openNow.timeline.at(-1)!.detail, { by: 'erasure' });
    assert.equal((await getApi(t.app, `/cases/${ended.id}`)).body.status, 'resolved');
    const byHand = (await getApi(t.app, `/cases/${closedByHand.id}`)).body as { status: string; timeline: Array<{ type: string; detail: unknown }> };
    assert.equal(byHand.status, 'closed');
    assert.deepEqual(byHand.timeline.filter((e) => e.type === 'closed').map((e) => e.detail), [
      { by: 'api_key', reason: '[erased] ([erased]) asked us to stop' },
    ]);
    assert.deepEqual((await getApi(t.app, `/cases?external_id=${ana.externalId}`)).body.cases, []);
    for (const id of [open.id, ended.id, closedByHand.id]) {
      const row = (await t.database.db('cases').where({ id }).first()) as { user_id: number | null; external_id: string | null };
      assert.deepEqual([row.user_id, row.external_id], [null, null]);
    }
  });

  test('the console says who closed the case, in words', async () => {
    const agent = await signedInAgent(t.app, { 'Accept-Language': 'en' });
    const page = await agent.get(`/admin/cases/${open.id}`).expect(200);
    assert.match(page.text, /Closed by erasure of the person(&#39;|')s data/);
  });

  test('her old signed link shows the ended page, not an error', async () => {
    const page = await request(t.app).get(`/r/${token}`);
    assert.equal(page.status, 410);
    assert.equal(stateOf(page.text), 'expired');
    assert.doesNotMatch(page.text, new RegExp(ana.name));
  });

  test('404 when the user is unknown, or erased already', async () => {
    assert.equal((await api('delete', `/users/${ana.externalId}`)).status, 404);
    assert.equal((await api('delete', '/users/nobody-by-this-id')).status, 404);
    assert.equal((await getApi(t.app, `/users/${ana.externalId}`)).status, 404);
  });

  test('a webhook naming her later meets an unknown user, until the operator registers her again', async () => {
    const again = await webhook(ana, openLink);
    assert.notEqual(again.id, open.id);
    assert.equal(again.status, 'unreachable');
    const timeline = (await getApi(t.app, `/cases/${again.id}`)).body.timeline as Array<{ type: string; detail: unknown }>;
    assert.deepEqual(timeline.find((e) => e.type === 'user_unreachable')!.detail, { reason: 'unknown_user' });
    assert.equal(await t.database.db('dev_inbox').where({ recipient: ana.email }).first(), undefined, 'nothing was sent to her');

    const newEmail = 'ana.nova@example.com';
    assert.equal((await putUser(t.app, ana.externalId, { email: newEmail })).status, 201, 'a new user');
    await api('post', `/cases/${again.id}/resend`).expect(202);
    await t.worker.runOnce();
    assert.ok(await t.database.db('dev_inbox').where({ recipient: newEmail }).first(), 'the registered person is messaged again');
    assert.equal((await getApi(t.app, `/cases/${open.id}`)).body.status, 'closed', 'her erased cases stay anonymous');
  });
});
