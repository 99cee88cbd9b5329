// POST /webhooks/belvo against what Belvo really sends (every fixture), the forms its Authorization
// may take, and bodies a hostile sender holding the secret could send: each gets a 2xx or a 400, never
// a 500, and what is accepted is processed by the worker without a retry loop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { MAX_JSON_DEPTH } from '../../server/webhooks/webhook-body.ts';
import { startTestApp, WEBHOOK_AUTH, type TestApp } from '../support/test-app.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/belvo-webhooks/', import.meta.url));
const fixture = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
const SECRET = WEBHOOK_AUTH.slice('Bearer '.length);

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const post = (app: TestApp, body: unknown, auth: string | null = WEBHOOK_AUTH, contentType = 'application/json') => {
  const req = request(app.app).post('/webhooks/belvo').set('Content-Type', contentType);
  if (auth !== null) req.set('Authorization', auth);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
};
const fresh = (file: string, extra: Record<string, unknown> = {}) => ({ ...fixture(file), webhook_id: randomUUID(), ...extra });
const eventOf = (webhookId: string) => t.database.db('events').where({ webhook_id: webhookId }).first();

describe('every webhook Belvo documents is recorded and answered 2xx', () => {
  for (const file of readdirSync(FIXTURES).sort()) {
    test(`${file}`, async () => {
      const hook = fresh(file);
      const res = await post(t, hook);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      await t.worker.runOnce();
      const event = await eventOf(hook.webhook_id as string);
      assert.equal(event!.state, 'done', event!.last_error ?? undefined);
    });
  }

  test('the stored row keeps the body as Belvo sent it; the code column has the one spelling the portal knows', async () => {
    const hook = fresh('consent-expired-short-code.json', { link_id: randomUUID(), added_later: { by: 'Belvo' } });
    await post(t, hook).expect(202);
    const row = await eventOf(hook.webhook_id as string);
    assert.equal(row!.webhook_code, 'openfinance_consent_expired');
    assert.deepEqual(JSON.parse(row!.payload), { kind: 'consent', payload: hook });
  });
});

describe('BELVO_WEBHOOK_AUTH with or without the Bearer prefix', () => {
  let bare: TestApp;
  before(async () => {
    bare = await startTestApp({ env: { BELVO_WEBHOOK_AUTH: SECRET } });
  });
  after(() => bare.close());

  for (const [configured, app] of [['Bearer <secret>', () => t], ['<secret>', () => bare]] as const) {
    for (const header of [`Bearer ${SECRET}`, SECRET, `bearer ${SECRET}`, `Bearer Bearer ${SECRET}`]) {
      test(`configured ${configured}: Authorization ${header.replace(SECRET, '<secret>')} is accepted`, async () => {
        assert.equal((await post(app(), fresh('link-invalid-credentials.json'), header)).status, 202);
      });
    }
    for (const header of [`Bearer ${SECRET}x`, `Basic ${SECRET}`, `${SECRET.slice(1)}`]) {
      test(`configured ${configured}: Authorization ${header.replace(SECRET, '<secret>')} is refused`, async () => {
        const hook = fresh('link-invalid-credentials.json');
        const res = await post(app(), hook, header);
        assert.equal(res.status, 401);
        assert.equal(await app().database.db('events').where({ webhook_id: hook.webhook_id }).first(), undefined);
      });
    }
  }
});

/** A valid webhook with one field nested `depth` levels below the top of the body. */
function nested(depth: number): string {
  const hook = JSON.stringify(fresh('link-invalid-credentials.json'));
  const inner = `${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}`;
  return `${hook.slice(0, -1)},"deep":${inner}}`;
}

describe('a hostile body from a sender holding the secret: 400 or 2xx, never 500', () => {
  test('a field nested 10,000 deep is refused with 400 before it is parsed, and nothing is recorded', async () => {
    const res = await post(t, nested(10_000));
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'too_deep');
    assert.equal(await t.database.db('events').where('payload', 'like', '%"deep"%').first(), undefined);
  });

  test(`nesting up to ${MAX_JSON_DEPTH} levels is accepted and processed`, async () => {
    const res = await post(t, nested(MAX_JSON_DEPTH));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await t.worker.runOnce();
    assert.equal((await eventOf(res.body.webhook_id))!.state, 'done');
    assert.equal((await post(t, nested(MAX_JSON_DEPTH + 1))).status, 400);
  });

  test('brackets inside strings do not count as nesting', async () => {
    const hook = fresh('link-invalid-credentials.json', { note: '[[[[{{{{'.repeat(100) + '\\"]]' });
    assert.equal((await post(t, hook)).status, 202);
  });

  test('a body in another encoding than UTF-8 is refused with 415: the depth check reads UTF-8', async () => {
    const res = await post(t, nested(3), WEBHOOK_AUTH, 'application/json; charset=utf-16');
    assert.equal(res.status, 415);
  });

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['a link_id longer than its column', { link_id: `${randomUUID()}${randomUUID()}` }, 'link_id'],
    ['a link_id with a NUL, which PostgreSQL refuses', { link_id: 'abc\u0000def' }, 'link_id'],
    ['a webhook_id with a NUL', { webhook_id: `w\u0000${randomUUID()}` }, 'webhook_id'],
    ['a link_id that is an object', { link_id: { $ne: null } }, 'link_id'],
    ['a webhook_type that is an array', { webhook_type: ['LINK'] }, 'webhook_type'],
    ['an external_id that is a number', { external_id: 12 }, 'external_id'],
  ];
  for (const [what, extra, field] of refused) {
    test(`${what}: 400 naming ${field}`, async () => {
      const res = await post(t, fresh('link-invalid-credentials.json', extra));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.field, field);
    });
  }

  const accepted: Array<[string, string, Record<string, unknown>]> = [
    ['a 100,000-element array in data', 'transactions-updated.json', { data: { ids: Array.from({ length: 100_000 }, (_, i) => i) } }],
    ['data that is an array', 'transactions-deleted.json', { data: ['a', 'b'] }],
    ['numbers beyond any column in data', 'accounts-historical-update.json', { data: { total_accounts: 1e308, new_accounts: -1 } }],
    ['a __proto__ key', 'link-invalid-credentials.json', { data: JSON.parse('{"__proto__": {"error_code": "x"}, "error_code": "login_error"}') }],
    ['a consent institution too long for its column', 'consent-about-to-expire.json', { data: { institution: 'i'.repeat(500), consent_id: 'c' } }],
    ['a charge status too long for its column and a failure message with NUL', 'payments-charge-failed.json', { data: { status: 'S'.repeat(200), failure_message: 'a\u0000b' } }],
    ['an MFA challenge of the wrong type', 'link-token-required.json', { data: { session: 's'.repeat(32), token_generation_data: 'numeric' } }],
  ];
  for (const [what, file, extra] of accepted) {
    test(`${what}: recorded, answered 2xx, processed without a retry loop`, async () => {
      const base = fixture(file);
      const hook = { ...base, webhook_id: randomUUID(), ...(base['link_id'] ? { link_id: randomUUID() } : {}), ...extra };
      const res = await post(t, hook);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      await t.worker.runOnce();
      const event = await eventOf(hook.webhook_id);
      assert.equal(event!.state, 'done', event!.last_error ?? undefined);
      assert.equal(event!.attempts, 1, 'done at the first try');
    });
  }
});

describe('the depth scan reads strings as JSON does', () => {
  test('escaped quotes and backslashes inside strings neither open nor close a string', async () => {
    const { nestsDeeperThan } = await import('../../server/webhooks/webhook-body.ts');
    const scan = (text: string) => nestsDeeperThan(Buffer.from(text), 2);
    assert.equal(scan('{"a":"[[[[\\"]]]"}'), false, 'an escaped quote stays inside the string');
    assert.equal(scan('{"a":"x\\\\","b":[[[1]]]}'), true, 'an escaped backslash before the quote: the string ends there');
    assert.equal(scan('{"a":"\\\\\\"[[[["}'), false);
    assert.equal(scan('[[["unterminated'), true);
    assert.equal(scan('{"a":[1]}'), false);
  });
});
