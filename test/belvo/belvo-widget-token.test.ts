// POST /api/token/ for the Connect widget, against the simulator on loopback: the request Belvo
// documents, typed errors, a timeout, and no secret in any error message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import { BelvoApiError, BelvoTransportError } from '../../server/belvo/belvo-types.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

let belvo: RunningBelvoSimulator;
before(async () => {
  belvo = await startBelvoSimulator();
});
after(() => belvo.close());

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const CALLBACKS = {
  success: 'https://relink.example.com/r/tok/widget/n/success',
  exit: 'https://relink.example.com/r/tok/widget/n/exit',
  event: 'https://relink.example.com/r/tok/widget/n/event',
};
const client = (overrides: { secretPassword?: string; timeoutMs?: number } = {}) =>
  createBelvoClient({ apiUrl: belvo.url, secretId: belvo.secretId, secretPassword: belvo.secretPassword, ...overrides });

test('asks for a widget token with the secret keys, scopes, link and callbacks, and returns access and refresh', async () => {
  const token = await client().createWidgetToken({ linkId: LINK, callbackUrls: CALLBACKS });
  assert.ok(token.access.length >= 20 && token.refresh.length >= 20);
  assert.deepEqual(Object.keys(token).sort(), ['access', 'refresh']);
  const call = belvo.simulator.calls.at(-1)!;
  assert.equal(call.path, '/api/token/');
  assert.deepEqual(call.body, {
    id: belvo.secretId,
    password: belvo.secretPassword,
    scopes: 'read_institutions,write_links,read_links',
    link_id: LINK,
    widget: { callback_urls: CALLBACKS },
  });
});

test('without a link id the body has no link_id: the widget will create a link', async () => {
  await client().createWidgetToken({ callbackUrls: CALLBACKS });
  assert.equal((belvo.simulator.calls.at(-1)!.body as Record<string, unknown>)['link_id'], undefined);
});

test('refused keys end in a BelvoApiError that names no secret', async () => {
  const wrong = 'Wrong-Secret-Password-77';
  await assert.rejects(client({ secretPassword: wrong }).createWidgetToken({ callbackUrls: CALLBACKS }), (err: unknown) => {
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 401);
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err.errors)}`, new RegExp(wrong));
    return true;
  });
});

test('no answer within the timeout ends in a BelvoTransportError timeout', async () => {
  belvo.simulator.answerNext({ hang: true });
  await assert.rejects(client({ timeoutMs: 200 }).createWidgetToken({ callbackUrls: CALLBACKS }), (err: unknown) => {
    assert.ok(err instanceof BelvoTransportError);
    assert.equal(err.reason, 'timeout');
    return true;
  });
});
