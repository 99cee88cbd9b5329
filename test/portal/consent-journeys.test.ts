// The Open Finance consent journeys (Brazil): a consent about to expire or expired shows its due
// date in the user's language and time zone and the days left; a consent whose accounts are gone
// offers to connect again through the widget, and the new link's id is kept for the operator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { getApi } from '../support/operator-calls.ts';
import { roleText, startPortalTestApp, timelineTypes, type PortalTestApp } from '../support/portal-test-app.ts';
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

const consentCase = (webhookCode: string, user: Record<string, unknown> = { email: 'br@example.com' }, dueDate?: string | null) =>
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

  test('connecting again: a widget without link id, and the new link id recorded for the operator', async () => {
    const { token, caseId, linkId } = await consentCase(UNRECOVERABLE);
    const visit = await startWidget(t, token);
    assert.equal(visit.tokenRequest.link_id, undefined, 'no link_id: the widget creates a new link');
    assert.equal(visit.widgetUrl.searchParams.get('locale'), 'pt');
    const externalId = visit.widgetUrl.searchParams.get('external_id');
    assert.ok(externalId?.startsWith('user-'), 'the new link carries the user\'s external id');
    await fetch(visit.widgetUrl); // the browser opens the widget, which reads external_id from its URL
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    const newLinkId = back!.searchParams.get('link')!;
    assert.notEqual(newLinkId, linkId);

    const done = await visit.agent.get(pathOf(back!));
    assert.equal(done.status, 200);
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
    assert.equal(res.headers['location'], `/r/${token}?widget=notConfirmed`);
    assert.equal((await t.db('cases').where({ id: caseId }).first()).status, 'opened');
    const page = await visit.agent.get(res.headers['location'] as string);
    assert.match(roleText(page.text, 'alert') ?? '', /Não conseguimos confirmar com a Belvo/);
    assert.ok((await timelineTypes(t.db, caseId)).includes('widget_unconfirmed'));
  });
});
