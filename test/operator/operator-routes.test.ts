import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { getApi, putLink, putUser } from '../support/operator-calls.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

describe('operator API: authentication', () => {
  test('a request without the bearer key is refused with 401 JSON', async () => {
    const res = await request(t.app).get('/api/cases');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  test('a wrong key is refused', async () => {
    const res = await request(t.app).get('/api/cases').set('Authorization', `Bearer ${API_KEY}x`);
    assert.equal(res.status, 401);
  });
});

describe('PUT /api/users/:externalId', () => {
  test('creates a user (201) and updates it (200), keeping fields left out', async () => {
    const created = await putUser(t.app, 'u-1', { email: 'ana@example.com', locale: 'pt-BR', name: 'Ana' });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.user, {
      external_id: 'u-1',
      email: 'ana@example.com',
      phone: null,
      locale: 'pt-BR',
      name: 'Ana',
      channels: null,
      time_zone: null,
      document: null,
    });
    const updated = await putUser(t.app, 'u-1', { phone: '+5511987654321', channels: ['sms', 'email'] });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.user.email, 'ana@example.com');
    assert.deepEqual(updated.body.user.channels, ['sms', 'email']);
  });

  test('stores an IANA time zone for quiet hours, and clears it with null', async () => {
    const set = await putUser(t.app, 'u-tz', { email: 'tz@example.com', time_zone: 'America/Bogota' });
    assert.equal(set.body.user.time_zone, 'America/Bogota');
    const kept = await putUser(t.app, 'u-tz', { name: 'Tz' });
    assert.equal(kept.body.user.time_zone, 'America/Bogota');
    const cleared = await putUser(t.app, 'u-tz', { time_zone: null });
    assert.equal(cleared.body.user.time_zone, null);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['a phone that is not E.164', { phone: '55 11 98765-4321' }, 'phone'],
    ['an e-mail without a domain', { email: 'ana@' }, 'email'],
    ['an unknown locale', { locale: 'fr' }, 'locale'],
    ['an unknown time zone', { time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
    ['an unknown channel', { channels: ['fax'] }, 'channels.0'],
    ['a repeated channel', { channels: ['email', 'email'], email: 'a@example.com' }, 'channels'],
    ['a channel without its contact', { channels: ['sms'], email: 'a@example.com' }, 'channels'],
    ['an unknown field', { mail: 'a@example.com' }, 'body'],
  ];
  for (const [what, body, field] of invalid) {
    test(`${what} is refused with 400 naming ${field}, and nothing is stored`, async () => {
      const res = await putUser(t.app, 'u-bad', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_error');
      assert.equal(res.body.error.field, field);
      assert.equal(await t.database.db('users').where({ external_id: 'u-bad' }).first(), undefined);
    });
  }

  test('malformed JSON is refused with 400', async () => {
    const res = await request(t.app)
      .put('/api/users/u-2')
      .set('Authorization', `Bearer ${API_KEY}`)
      .set('Content-Type', 'application/json')
      .send('{"email":');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_json');
  });
});

describe('PUT /api/links/:linkId', () => {
  test('ties a link to a user (201), then updates it (200)', async () => {
    const linkId = '30cb4806-6e00-48a4-91c9-ca55968576c8';
    const created = await putLink(t.app, linkId, { external_id: 'u-1', institution: 'erebor_mx_retail' });
    assert.equal(created.status, 201);
    const updated = await putLink(t.app, linkId, {
      external_id: 'u-1',
      institution: 'erebor_mx_retail',
      institution_display_name: 'Erebor',
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.link.institution_display_name, 'Erebor');
  });

  test('a link without external_id is refused naming it', async () => {
    const res = await putLink(t.app, 'abc', { institution: 'x' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'external_id');
  });

  test('a link id with unexpected characters is refused', async () => {
    const res = await putLink(t.app, 'abc$', { external_id: 'u-1' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'linkId');
  });
});

describe('GET /api/cases', () => {
  test('an unknown case id answers 404 JSON; a bad status filter answers 400', async () => {
    assert.equal((await getApi(t.app, '/cases/999999')).status, 404);
    const bad = await getApi(t.app, '/cases?status=done');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'status');
  });

  test('an unknown route under /api answers 404 JSON', async () => {
    const res = await getApi(t.app, '/nothing');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});
