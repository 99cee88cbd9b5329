// "Continue with Belvo": the Connect widget in update mode, through the simulator's hosted-widget
// stand-in on loopback. Only Belvo's own word that the link is valid closes a case; a forged or
// replayed callback does not, and the widget's access token is kept nowhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { UPDATE_SCOPES } from '../../server/belvo/token-requests.ts';
import { csrfOf, roleText, startPortalTestApp, stateOf, timelineTypes, type PortalTestApp } from '../support/portal-test-app.ts';
import { pathOf, startWidget, submitWidget, tokenCalls } from '../support/widget-journey.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp();
});
after(() => t.close());

const statusOf = async (caseId: number) => (await t.db('cases').where({ id: caseId }).first())!.status as string;

async function timelineDetail(caseId: number, type: string) {
  const row = await t.db('case_timeline').where({ case_id: caseId, type }).orderBy('id', 'desc').first();
  return row ? (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) : undefined;
}

async function allRows(): Promise<string> {
  const tables = ['users', 'links', 'events', 'cases', 'case_timeline', 'outbox', 'dev_inbox', 'sessions', 'rate_limits'];
  return (await Promise.all(tables.map(async (table) => JSON.stringify(await t.db(table).select())))).join('\n');
}

describe('starting the widget', () => {
  test('the case page offers "Continue with Belvo" next to the password form', async () => {
    const { token } = await t.createCase();
    const page = await request(t.app).get(`/r/${token}`);
    assert.match(page.text, new RegExp(`<form class="form widget-offer" method="post" action="/r/${token}/widget">`));
    assert.match(page.text, /Continuar con Belvo/);
    assert.match(page.text, /name="password"/);
  });

  test('Belvo gets the secret keys, the scopes, the link and callbacks of this case; the browser goes to the widget', async () => {
    const { token, linkId, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    const body = visit.tokenRequest;
    assert.equal(body.id, t.belvo.secretId);
    assert.equal(body.password, t.belvo.secretPassword);
    assert.equal(body.scopes, UPDATE_SCOPES);
    assert.equal(body.scopes, 'read_institutions,write_links,read_links');
    assert.equal(body.link_id, linkId);
    for (const name of ['success', 'exit', 'event'] as const) {
      assert.match(body.widget.callback_urls[name], new RegExp(`^https://relink\\.example\\.com/r/${token}/widget/[\\w-]{20,}/${name}$`));
    }
    assert.equal(visit.widgetUrl.origin + visit.widgetUrl.pathname, t.config.belvo.widgetUrl);
    assert.ok((visit.widgetUrl.searchParams.get('access_token') ?? '').length >= 20);
    assert.equal(visit.widgetUrl.searchParams.get('locale'), 'es');
    assert.equal(visit.widgetUrl.searchParams.get('mode'), 'webapp');
    assert.equal(visit.widgetUrl.searchParams.get('external_id'), null, 'update mode keeps the link Belvo already has');
    assert.deepEqual(await timelineTypes(t.db, caseId), ['page_opened', 'widget_started']);
  });

  test('a Portuguese reader gets the widget in Portuguese (Belvo says pt)', async () => {
    const { token } = await t.createCase({ user: { email: 'br@example.com', locale: 'pt-BR' } });
    const visit = await startWidget(t, token);
    assert.equal(visit.widgetUrl.searchParams.get('locale'), 'pt');
  });

  test('without the CSRF token nothing is asked of Belvo', async () => {
    const { token } = await t.createCase();
    const before = tokenCalls(t).length;
    const res = await request(t.app).post(`/r/${token}/widget`).type('form').send({});
    assert.equal(res.status, 403);
    assert.equal(tokenCalls(t).length, before);
  });

  test('when Belvo gives no token, the page says the window is not available and nothing was started', async () => {
    const { token, caseId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    t.belvo.simulator.answerNext({ status: 500, code: 'unexpected_error' });
    const res = await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], `/r/${token}`);
    const page = await agent.get(res.headers['location'] as string);
    assert.match(roleText(page.text, 'alert') ?? '', /no está disponible/);
    assert.equal(stateOf(page.text), 'password', 'the form is still there');
    assert.ok(!(await timelineTypes(t.db, caseId)).includes('widget_started'));
  });
});

describe('coming back from the widget', () => {
  test('success: Belvo confirms the link is valid, the case is resolved, and the access token is kept nowhere', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const visit = await startWidget(t, token);
    const access = visit.widgetUrl.searchParams.get('access_token')!;
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    assert.ok(back, 'the widget redirects to the success callback');
    assert.equal(back.searchParams.get('link'), linkId);
    assert.equal(back.searchParams.get('institution'), 'erebor_mx_retail');
    const callback = await visit.agent.get(pathOf(back));
    assert.equal(callback.status, 303);
    assert.equal(callback.headers['location'], `/r/${token}`);
    const page = await visit.agent.get(`/r/${token}`);
    assert.equal(page.status, 200);
    assert.equal(stateOf(page.text), 'success');
    assert.match(page.text, /está conectada de nuevo/);
    assert.equal(await statusOf(caseId), 'resolved');
    assert.deepEqual((await timelineTypes(t.db, caseId)).slice(-2), ['widget_success', 'resolved']);
    assert.deepEqual(await timelineDetail(caseId, 'widget_success'), {
      mode: 'update',
      link_id: linkId,
      institution: 'erebor_mx_retail',
      link_status: 'valid',
    });
    assert.ok(!(await allRows()).includes(access), 'the access token is in no table');
    assert.ok(!t.logs.join('\n').includes(access), 'the access token is in no log line');
  });

  test('success after an MFA token in the widget resolves an MFA case', async () => {
    const { token, caseId } = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'numeric' } } },
    });
    const visit = await startWidget(t, token);
    assert.equal(await submitWidget(visit.widgetUrl, { password: 'mfa' }), undefined, 'the widget asks for the token');
    const back = await submitWidget(visit.widgetUrl, { token: '123456' });
    await visit.agent.get(pathOf(back!));
    assert.equal(await statusOf(caseId), 'resolved');
  });

  test('a forged success (the link is still invalid at Belvo) does not close the case', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const visit = await startWidget(t, token);
    const res = await visit.agent.get(`${visit.callbacks.success}?link=${linkId}&institution=erebor_mx_retail`);
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.equal(await statusOf(caseId), 'opened');
    assert.deepEqual(await timelineDetail(caseId, 'widget_unconfirmed'), { reason: 'link_invalid' });
    const page = await visit.agent.get(res.headers['location'] as string);
    assert.equal(stateOf(page.text), 'password');
    assert.match(roleText(page.text, 'alert') ?? '', /No pudimos confirmar con Belvo/);
  });

  test('a success callback from another browser does nothing, even when the link is valid', async () => {
    const { token, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    const stranger = await request(t.app).get(pathOf(back!));
    assert.equal(stranger.status, 303);
    assert.equal(await statusOf(caseId), 'opened');
    assert.ok(!(await timelineTypes(t.db, caseId)).includes('widget_unconfirmed'), 'a stranger writes nothing');
  });

  test('a success callback with another nonce, or for another case, does not close either case', async () => {
    const first = await t.createCase();
    const second = await t.createCase();
    const visit = await startWidget(t, first.token);
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    const wrongNonce = pathOf(back!).replace(/\/widget\/[^/]+\//, '/widget/not-the-nonce-0123456789/');
    assert.equal((await visit.agent.get(wrongNonce)).status, 303);
    const otherCase = pathOf(back!).replace(first.token, second.token);
    assert.equal((await visit.agent.get(otherCase)).status, 303);
    assert.equal(await statusOf(first.caseId), 'opened');
    assert.equal(await statusOf(second.caseId), 'notified');
    // The real callback still works: the forged ones did not use up the visit.
    await visit.agent.get(pathOf(back!));
    assert.equal(await statusOf(first.caseId), 'resolved');
  });

  test('a success that names another link than the case\'s is not trusted', async () => {
    const other = await t.createCase();
    const { token, caseId } = await t.createCase();
    await submitWidget((await startWidget(t, other.token)).widgetUrl, { password: 'ok' });
    const visit = await startWidget(t, token);
    await visit.agent.get(`${visit.callbacks.success}?link=${other.linkId}`);
    assert.equal(await statusOf(caseId), 'opened');
    assert.deepEqual(await timelineDetail(caseId, 'widget_unconfirmed'), { reason: 'other_link' });
  });

  test('a replayed success callback acts once', async () => {
    const { token, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    await visit.agent.get(pathOf(back!));
    const again = await visit.agent.get(pathOf(back!));
    assert.equal(again.status, 303, 'back to the page, which shows the case as closed');
    assert.equal((await request(t.app).get(again.headers['location'] as string)).status, 410);
    assert.equal((await timelineTypes(t.db, caseId)).filter((type) => type === 'resolved').length, 1);
  });

  test('exit: the timeline says what went wrong last, and the page says nothing changed', async () => {
    const { token, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    assert.equal(await submitWidget(visit.widgetUrl, { password: 'wrong-one' }), undefined);
    const back = await submitWidget(visit.widgetUrl, { action: 'exit' });
    assert.equal(back?.pathname, new URL(visit.tokenRequest.widget.callback_urls.exit).pathname);
    assert.equal(back?.searchParams.get('last_encountered_error_code'), 'login_error', "Belvo's flat parameters");
    const res = await visit.agent.get(pathOf(back!));
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.deepEqual(await timelineDetail(caseId, 'widget_exit'), {
      code: 'login_error',
      message: 'Invalid credentials provided to login to the institution',
      step: 'abandonSurvey',
      institution: 'erebor_mx_retail',
    });
    const page = await visit.agent.get(res.headers['location'] as string);
    assert.match(roleText(page.text, 'status') ?? '', /Saliste de la ventana de Belvo/);
    assert.equal(roleText(page.text, 'alert'), undefined);
    assert.equal(await statusOf(caseId), 'opened');
  });

  test('event: Belvo\'s error code and message go on the timeline, and the page shows an alert', async () => {
    const { token, caseId } = await t.createCase({ user: { email: 'en@example.com', locale: 'en' } });
    const visit = await startWidget(t, token);
    const back = await submitWidget(visit.widgetUrl, { password: 'down' });
    assert.equal(back?.searchParams.get('error'), 'institution_down', "Belvo's flat parameters");
    const res = await visit.agent.get(pathOf(back!));
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.deepEqual(await timelineDetail(caseId, 'widget_error'), {
      code: 'institution_down',
      message: 'The financial institution is down, try again later',
    });
    const page = await visit.agent.get(res.headers['location'] as string);
    assert.match(roleText(page.text, 'alert') ?? '', /Belvo couldn.{1,5}t reconnect your account with Erebor México/);
  });

  test('exit and event callbacks from another browser write nothing', async () => {
    const { token, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    await request(t.app).get(`${visit.callbacks.exit}?error_code=x`).expect(303);
    await request(t.app).get(`${visit.callbacks.event}?error_code=x`).expect(303);
    const types = await timelineTypes(t.db, caseId);
    assert.ok(!types.includes('widget_exit') && !types.includes('widget_error'));
  });

  test('a password typed in the widget reaches neither our tables nor our logs', async () => {
    const { token } = await t.createCase();
    const visit = await startWidget(t, token);
    await submitWidget(visit.widgetUrl, { password: 'Widget-Canary-93x' });
    assert.ok(!(await allRows()).includes('Widget-Canary-93x'));
    assert.ok(!t.logs.join('\n').includes('Widget-Canary-93x'));
  });
});

describe('callbacks in every form Belvo documents', () => {
  const forms: Array<[string, 'exit' | 'event', string, Record<string, string>]> = [
    [
      'exit with flat parameters',
      'exit',
      '?last_encountered_error_code=institution_down&last_encountered_error_message=Down%20now&meta_data_institution_name=Banco%20X&meta_data_step=credentials',
      { code: 'institution_down', message: 'Down now', step: 'credentials', institution: 'Banco X' },
    ],
    [
      'exit with the older JSON parameters',
      'exit',
      `?last_encountered_error=${encodeURIComponent('{"code":"login_error","message":"Bad"}')}&meta_data=${encodeURIComponent('{"step":"abandonSurvey","institution_name":"Banco Y"}')}`,
      { code: 'login_error', message: 'Bad', step: 'abandonSurvey', institution: 'Banco Y' },
    ],
    ['exit with nothing said', 'exit', '', {}],
    ['error with flat parameters', 'event', '?error=institution_down&error_message=The%20bank%20is%20down', { code: 'institution_down', message: 'The bank is down' }],
    ['error with the older error_code', 'event', '?error_code=unexpected_error&error_message=Oops', { code: 'unexpected_error', message: 'Oops' }],
    ['a warning', 'event', '?warning=slow_institution&warning_message=Slow', { code: 'slow_institution', message: 'Slow' }],
  ];
  for (const [name, callback, query, detail] of forms) {
    test(`${name}: recorded on the timeline`, async () => {
      const { token, caseId } = await t.createCase();
      const visit = await startWidget(t, token);
      const res = await visit.agent.get(`${visit.callbacks[callback]}${query}`);
      assert.equal(res.headers['location'], `/r/${token}`);
      assert.deepEqual(await timelineDetail(caseId, callback === 'exit' ? 'widget_exit' : 'widget_error'), detail);
    });
  }

  test('what Belvo says is cut to one short line before it reaches the timeline', async () => {
    const { token, caseId } = await t.createCase();
    const visit = await startWidget(t, token);
    await visit.agent.get(`${visit.callbacks.event}?error=x&error_message=${'a'.repeat(1_000)}`);
    assert.equal((await timelineDetail(caseId, 'widget_error')).message.length, 300);
  });
});
