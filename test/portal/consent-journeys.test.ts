// The Open Finance consent journeys (Brazil): a consent about to expire or expired shows its due
// date in the user's language and time zone and the days left, and renews in My Belvo Portal:
// straight to that consent when we know the user's CPF, else from its public page. A consent whose
// accounts are gone offers to connect again through Belvo's Open Finance widget when we know the
// CPF, and sends the user to the operator's app (telling the operator) when we do not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { getApi } from '../support/operator-calls.ts';
import { csrfOf, RENEW_URL, roleText, startPortalTestApp, stateOf, timelineTypes, type PortalTestApp } from '../support/portal-test-app.ts';
import { pathOf, startWidget, submitWidget, tokenCalls } from '../support/widget-journey.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp();
});
after(() => t.close());

// The test clock stands at 2026-11-23 15:00 UTC (12:00 in São Paulo, 00:00 on the 24th in Tokyo).
function consent(webhookCode: string, dueDate: string | null = '2026-11-26T02:30:00.000Z') {
  return {
    consent: {
      consentId: 'c-1',
      webhookCode,
      dueDate,
      institutionDisplayName: 'OF Mockbank',
      institutionLogo: null,
      message: null,
    },
  };
}

/** A user the operator registered with their CPF and full name. */
const WITH_CPF = { email: 'br@example.com', name: 'Ana Souza', document: { type: 'CPF' as const, number: '52998224725' } };

const consentCase = (webhookCode: string, user: Record<string, unknown> = WITH_CPF, dueDate?: string | null) =>
  t.createCase({
    kind: 'consent',
    institution: 'ofmockbank_br_retail',
    displayName: null,
    user,
    details: consent(webhookCode, dueDate),
  });

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a consent about to expire', () => {
  test('shows the due date and the days left in Portuguese, in the bank country\'s time zone', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire');
    const page = text((await request(t.app).get(`/r/${token}`)).text);
    assert.match(page, /vence em 25 de novembro de 2026/);
    assert.match(page, /Faltam 2 dias\./);
    assert.match(page, /Renovar meu consentimento/);
  });

  test('uses the user\'s own time zone when the operator gave one', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire', { email: 'tokyo@example.com', timeZone: 'Asia/Tokyo' });
    const page = text((await request(t.app).get(`/r/${token}`)).text);
    assert.match(page, /vence em 26 de novembro de 2026/);
    assert.match(page, /Faltam 2 dias\./);
  });

  test('says when today is the last day, in Spanish too', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire', { email: 'es@example.com', locale: 'es' }, '2026-11-23T23:00:00.000Z');
    const page = text((await request(t.app).get(`/r/${token}`)).text);
    assert.match(page, /Hoy es el último día\./);
  });

  test('an expired consent shows no days left', async () => {
    const { token } = await consentCase('openfinance_consent_expired', undefined, '2026-11-20T10:00:00.000Z');
    const page = text((await request(t.app).get(`/r/${token}`)).text);
    assert.match(page, /venceu em 20 de novembro de 2026/);
    assert.doesNotMatch(page, /Falta/);
  });

  test('offers no widget: renewing happens in My Belvo Portal, and a POST to the widget goes back to the page', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire');
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    assert.doesNotMatch(page.text, /widget-offer/);
    const csrf = /data-csrf-token="([^"]+)"/.exec(page.text)![1]!;
    const before = tokenCalls(t).length;
    const res = await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrf });
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.equal(tokenCalls(t).length, before);
  });
});

describe('renewing in My Belvo Portal', () => {
  const renewCalls = () =>
    t.belvo.simulator.calls.filter((c) => c.path.startsWith('/api/token') && (c.body as { scopes?: string })?.scopes === 'read_consents,write_consents,write_consent_callback');

  test('with the user\'s CPF: a POST asks Belvo for a consent token and goes straight to this consent', async () => {
    const { token, caseId, linkId } = await consentCase('openfinance_consent_about_to_expire');
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    assert.match(page.text, new RegExp(`<form class="form" method="post" action="/r/${token}/renew">`));
    assert.match(text(page.text), /O botão leva você direto a este consentimento/);
    const before = renewCalls().length;
    const res = await agent.post(`/r/${token}/renew`).type('form').send({ _csrf: csrfOf(page.text) });
    assert.equal(res.status, 303);
    const target = new URL(res.headers['location'] as string);
    assert.equal(target.origin + target.pathname, 'https://meuportal.belvo.example/');
    const access = target.searchParams.get('access_token')!;
    assert.ok(access.length >= 20);
    assert.deepEqual(Object.fromEntries([...target.searchParams].filter(([name]) => name !== 'access_token')), {
      link_id: linkId,
      consent_id: 'c-1',
      institution: 'ofmockbank_br_retail',
      institution_display_name: 'OF Mockbank',
      action: 'renew',
    });
    assert.equal(target.searchParams.get('mode'), null, 'the public page\'s mode=landing is dropped');
    assert.equal(renewCalls().length, before + 1);
    assert.deepEqual((renewCalls().at(-1)!.body as { widget: unknown }).widget, {
      openfinance_feature: 'consent_management',
      consent: { identification_info: [{ type: 'CPF', number: '52998224725', name: 'Ana Souza' }] },
    });
    assert.deepEqual((await timelineTypes(t.db, caseId)).slice(-2), ['page_opened', 'renewal_started']);
    assert.ok(!JSON.stringify(await t.db('case_timeline').select()).includes(access), 'the token is kept nowhere');
  });

  test('the bank\'s logo travels to My Belvo Portal too', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: WITH_CPF,
      details: { consent: { ...consent('openfinance_consent_expired').consent, institutionLogo: 'https://logo.example/of.svg' } },
    });
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    const res = await agent.post(`/r/${token}/renew`).type('form').send({ _csrf: csrfOf(page.text) });
    assert.equal(new URL(res.headers['location'] as string).searchParams.get('institution_icon_logo'), 'https://logo.example/of.svg');
  });

  test('without a CPF: My Belvo Portal\'s public page, and what to look for there', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire', { email: 'br@example.com', name: 'Ana' });
    const html = (await request(t.app).get(`/r/${token}`)).text;
    assert.match(html, new RegExp(`<a class="button primary" href="${RENEW_URL.replace(/[?.]/g, '\\$&')}"`));
    assert.match(text(html), /entre com seu CPF[^.]*\. Depois abra “Meus compartilhamentos”, escolha o consentimento/);
    assert.doesNotMatch(html, /\/renew"/);
  });

  test('a CNPJ alone is not enough for a personal consent token: the public page', async () => {
    const { token } = await consentCase('openfinance_consent_expired', {
      email: 'empresa@example.com',
      name: 'ACME Ltda',
      document: { type: 'CNPJ', number: '11222333000181' },
    });
    const html = (await request(t.app).get(`/r/${token}`)).text;
    assert.match(html, /href="https:\/\/meuportal\.belvo\.example\/\?mode=landing"/);
  });

  test('when Belvo gives no token: an alert, the button to try again, and the public page beside it', async () => {
    const { token, caseId } = await consentCase('openfinance_consent_about_to_expire');
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    t.belvo.simulator.answerNext({ status: 500, code: 'unexpected_error' });
    const res = await agent.post(`/r/${token}/renew`).type('form').send({ _csrf: csrfOf(page.text) });
    assert.equal(res.headers['location'], `/r/${token}`);
    const back = await agent.get(`/r/${token}`);
    assert.equal(stateOf(back.text), 'consent');
    assert.match(roleText(back.text, 'alert') ?? '', /Não conseguimos abrir o My Belvo Portal/);
    assert.match(back.text, new RegExp(`action="/r/${token}/renew"`));
    assert.match(back.text, /<a class="button secondary" href="https:\/\/meuportal\.belvo\.example\/\?mode=landing"[^>]*>Abrir a página inicial do My Belvo Portal/);
    assert.ok(!(await timelineTypes(t.db, caseId)).includes('renewal_started'));
  });

  test('without a CSRF token nothing is asked of Belvo', async () => {
    const { token } = await consentCase('openfinance_consent_about_to_expire');
    const before = renewCalls().length;
    const res = await request(t.app).post(`/r/${token}/renew`).type('form').send({});
    assert.equal(res.status, 403);
    assert.equal(renewCalls().length, before);
  });

  test('a renewal POST on a case it does not fit goes back to the page without asking Belvo', async () => {
    const before = renewCalls().length;
    for (const created of [await t.createCase(), await consentCase('openfinance_consent_with_unrecoverable_resources')]) {
      const agent = request.agent(t.app);
      const page = await agent.get(`/r/${created.token}`);
      const res = await agent.post(`/r/${created.token}/renew`).type('form').send({ _csrf: csrfOf(page.text) });
      assert.equal(res.headers['location'], `/r/${created.token}`);
    }
    assert.equal(renewCalls().length, before);
  });

  test('Belvo\'s other spelling of the expired code reads as expired', async () => {
    const { token } = await consentCase('consent_expired', undefined, '2026-11-20T10:00:00.000Z');
    assert.match(text((await request(t.app).get(`/r/${token}`)).text), /venceu em 20 de novembro de 2026/);
  });
});

describe('a consent whose accounts are gone', () => {
  const UNRECOVERABLE = 'openfinance_consent_with_unrecoverable_resources';

  test('says the connection ended and offers to connect again instead of renewing', async () => {
    const { token } = await consentCase(UNRECOVERABLE);
    const html = (await request(t.app).get(`/r/${token}`)).text;
    const page = text(html);
    assert.match(page, /Sua conexão com o banco OF Mockbank terminou/);
    assert.match(page, /As contas desta conexão não estão mais disponíveis no banco OF Mockbank/);
    assert.match(page, /Conectar novamente/);
    assert.doesNotMatch(page, /Renovar meu consentimento/);
    assert.match(html, new RegExp(`action="/r/${token}/widget"`));
  });

  test('connecting again: Belvo\'s Open Finance token with the CPF, the widget in Portuguese, and the new link recorded', async () => {
    const { token, caseId, linkId } = await consentCase(UNRECOVERABLE);
    const visit = await startWidget(t, token);
    const body = visit.tokenRequest as unknown as Record<string, unknown> & { widget: Record<string, unknown> };
    assert.equal(body['link_id'], undefined, 'no link_id: the widget creates a new link');
    assert.equal(body['scopes'], 'read_institutions,write_links,read_consents,write_consents,write_consent_callback,delete_consents');
    assert.deepEqual(body['fetch_resources'], ['ACCOUNTS', 'TRANSACTIONS', 'OWNERS']);
    assert.equal(body.widget['openfinance_feature'], 'consent_link_creation');
    assert.equal(typeof body.widget['purpose'], 'string');
    assert.deepEqual(body.widget['consent'], {
      terms_and_conditions_url: 'https://fintech.example/terms',
      permissions: ['REGISTER', 'ACCOUNTS', 'CREDIT_CARDS', 'CREDIT_OPERATIONS'],
      identification_info: [{ type: 'CPF', number: '52998224725', name: 'Ana Souza' }],
    });
    assert.deepEqual(body.widget['branding'], { company_name: 'Demo Fintech' }, 'the operator\'s BRAND_NAME');
    assert.equal(visit.widgetUrl.searchParams.get('locale'), 'pt');
    const externalId = visit.widgetUrl.searchParams.get('external_id');
    assert.ok(externalId?.startsWith('user-'), 'the new link carries the user\'s external id');
    await fetch(visit.widgetUrl); // the browser opens the widget, which reads external_id from its URL
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    const newLinkId = back!.searchParams.get('link')!;
    assert.notEqual(newLinkId, linkId);

    const done = await visit.agent.get(pathOf(back!));
    assert.equal(done.status, 303);
    const api = await getApi(t.app, `/cases/${caseId}`);
    assert.equal(api.body.status, 'resolved');
    assert.equal(api.body.details.newLinkId, newLinkId);
    const entry = api.body.timeline.find((e: { type: string }) => e.type === 'widget_success');
    assert.deepEqual(entry.detail, { mode: 'reconnect', link_id: newLinkId, institution: 'erebor_mx_retail', link_status: 'valid' });
    assert.equal(t.belvo.simulator.getLink(newLinkId)?.external_id, externalId);
  });

  test('a forged reconnect success naming a link Belvo does not call valid changes nothing', async () => {
    const { token, caseId } = await consentCase(UNRECOVERABLE);
    const visit = await startWidget(t, token);
    const res = await visit.agent.get(`${visit.callbacks.success}?link=0b5d3c1e-7a1f-4a51-9a51-3c1e7a1f4a51`);
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.equal((await t.db('cases').where({ id: caseId }).first())!.status, 'opened');
    const page = await visit.agent.get(res.headers['location'] as string);
    assert.match(roleText(page.text, 'alert') ?? '', /Não conseguimos confirmar com a Belvo/);
    assert.ok((await timelineTypes(t.db, caseId)).includes('widget_unconfirmed'));
  });

  for (const [name, user, reason] of [
    ['without a CPF', { email: 'br@example.com', name: 'Ana Souza' }, 'no_cpf'],
    ['with a CPF but no name', { email: 'br@example.com', document: { type: 'CPF', number: '52998224725' } }, 'no_name'],
  ] as const) {
    test(`${name}: no token Belvo would refuse; the page points to the app, and the operator is told once`, async () => {
      const { token, caseId } = await consentCase(UNRECOVERABLE, user);
      const agent = request.agent(t.app);
      const page = await agent.get(`/r/${token}`);
      assert.doesNotMatch(page.text, /widget-offer/);
      assert.match(text(page.text), /abra o app de Demo Fintech e conecte de novo sua conta OF Mockbank por lá/);
      const csrf = csrfOf(page.text);
      const before = tokenCalls(t).length;
      const forced = await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrf });
      assert.equal(forced.headers['location'], `/r/${token}`);
      assert.equal(tokenCalls(t).length, before, 'nothing is asked of Belvo');

      await agent.post(`/r/${token}/seen`).set('X-CSRF-Token', csrf).expect(204);
      await agent.post(`/r/${token}/seen`).set('X-CSRF-Token', csrf).expect(204);
      const api = await getApi(t.app, `/cases/${caseId}`);
      const recorded = api.body.timeline.filter((e: { type: string }) => e.type === 'reconnect_in_app');
      assert.deepEqual(recorded.map((e: { detail: unknown }) => e.detail), [{ reason }]);
      const logged = t.logs.map((line) => JSON.parse(line)).filter((l) => l.case_id === caseId && l.reason === reason);
      assert.equal(logged.length, 1);
      assert.equal(logged[0].level, 'warn');
    });
  }
});
