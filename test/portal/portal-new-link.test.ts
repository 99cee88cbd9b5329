// "Send me a new link" from the page of an expired link: a POST that answers 303 to the page, which
// says what came of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import {
  csrfOf,
  postForm,
  roleText,
  startPortalTestApp,
  stateOf,
  type PortalTestApp,
} from '../support/portal-test-app.ts';
import type { UserInput } from '../../server/users/user-repository.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp();
});
after(() => t.close());

async function expiredPage(user?: UserInput | null) {
  const created = await t.createCase(user === undefined ? {} : { user });
  const agent = request.agent(t.app);
  const page = await agent.get(`/r/${created.expiredToken}`);
  const ask = async () => (await postForm(agent, `/r/${created.expiredToken}/new-link`, { _csrf: csrfOf(page.text) })).page;
  return { ...created, agent, page, ask };
}

const outbox = (caseId: number) => t.db('outbox').where({ case_id: caseId }).orderBy('id');

describe('asking for a new link', () => {
  test('queues exactly one new_link message on the first channel and says it is on its way', async () => {
    const { ask, caseId } = await expiredPage({ email: 'sofia@example.com', phone: '+5215511112222', channels: ['sms'] });
    const res = await ask();
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'expired');
    assert.match(roleText(res.text, 'status') ?? '', /Te estamos enviando un enlace nuevo/);
    assert.doesNotMatch(res.text, /sofia|example\.com|11112222/);
    assert.doesNotMatch(res.text, /<form/);
    const rows = await outbox(caseId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.template, 'new_link');
    assert.equal(rows[0]?.channel, 'sms');
    const timeline = await t.db('case_timeline').where({ case_id: caseId, type: 'new_link_requested' });
    assert.equal(timeline.length, 1);
    assert.deepEqual(JSON.parse(timeline[0]?.detail ?? 'null'), { channel: 'sms', queued: true });
  });

  test('a second request while the first message waits queues nothing more', async () => {
    const { ask, caseId } = await expiredPage();
    await ask();
    const again = await ask();
    assert.match(roleText(again.text, 'status') ?? '', /Te estamos enviando un enlace nuevo/);
    assert.equal((await outbox(caseId)).length, 1);
  });

  test('two requests at once queue one message', async () => {
    const { ask, caseId } = await expiredPage();
    await Promise.all([ask(), ask(), ask()]);
    assert.equal((await outbox(caseId)).length, 1);
  });

  test('a user with no contact is told so, with nothing queued', async () => {
    const { ask, caseId } = await expiredPage({ name: 'No contact' });
    const res = await ask();
    assert.equal(stateOf(res.text), 'expired');
    assert.match(roleText(res.text, 'alert') ?? '', /No tenemos un correo ni un celular/);
    assert.equal((await outbox(caseId)).length, 0);
  });

  test('a case without a user is told the same', async () => {
    const { ask, caseId } = await expiredPage(null);
    const res = await ask();
    assert.match(roleText(res.text, 'alert') ?? '', /No tenemos un correo ni un celular/);
    assert.equal((await outbox(caseId)).length, 0);
  });

  test('for a link that still works goes back to the page without sending anything', async () => {
    const { token, caseId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const res = await agent.post(`/r/${token}/new-link`).type('form').send({ _csrf: csrf });
    assert.equal(res.status, 303);
    assert.equal((await outbox(caseId)).length, 0);
  });

  test('a reload of the answer sends nothing more', async () => {
    const { ask, agent, expiredToken, caseId } = await expiredPage();
    await ask();
    const reloaded = await agent.get(`/r/${expiredToken}`);
    assert.match(roleText(reloaded.text, 'status') ?? '', /Te estamos enviando un enlace nuevo/);
    assert.equal((await outbox(caseId)).length, 1);
  });

  test('for a case closed meanwhile answers its 410 page and sends nothing', async () => {
    const { ask, caseId } = await expiredPage();
    await t.db('cases').where({ id: caseId }).update({ status: 'resolved', open_key: null });
    const res = await ask();
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'success');
    assert.equal((await outbox(caseId)).length, 0);
  });

  test('without the CSRF token is refused with 403', async () => {
    const { expiredToken, caseId } = await t.createCase();
    const res = await request(t.app).post(`/r/${expiredToken}/new-link`).type('form').send({});
    assert.equal(res.status, 403);
    assert.equal((await outbox(caseId)).length, 0);
  });

  test('is limited per case: the fourth request within the hour says when to try again', async () => {
    const { ask } = await expiredPage();
    for (let i = 0; i < 3; i++) assert.equal(stateOf((await ask()).text), 'expired');
    const limited = await ask();
    assert.equal(stateOf(limited.text), 'error');
    assert.match(limited.text, /Demasiados intentos/);
    // 15:00 UTC is 09:00 in Mexico City; the window is an hour.
    assert.match(limited.text, /Puedes volver a intentarlo a partir de las 10:00/);
    assert.match(limited.text, /Contacta al soporte de Demo Fintech/);
  });
});
