// CSRF protection in front of a tiny app: the token comes from the session, and every unsafe
// method without it (form field or header) is refused with the translated 403 page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { csrfProtection } from '../../server/http/csrf.ts';
import { createSessionMiddleware } from '../../server/http/session-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';
import { VIEWS_DIR } from '../../server/app.ts';
import { stateOf } from '../support/portal-test-app.ts';

let database: TestDatabase;
let app: express.Express;

before(async () => {
  database = await createTestDatabase();
  app = express();
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.use(express.urlencoded({ extended: false }));
  app.use(createSessionMiddleware({ db: database.db, secret: 'csrf-test-secret-0123456789abcdefgh', clock: manualClock() }));
  app.use(csrfProtection());
  app.get('/form', (_req, res) => {
    res.send(`<input name="_csrf" value="${res.locals['csrfToken']}">`);
  });
  app.get('/plain', (_req, res) => {
    res.send('no form');
  });
  app.all('/r/:token/act', (_req, res) => {
    res.send('done');
  });
  app.post('/act', (_req, res) => {
    res.send('done');
  });
});
after(() => database.close());

async function withToken() {
  const agent = request.agent(app);
  const page = await agent.get('/form');
  const token = /value="([^"]+)"/.exec(page.text)![1]!;
  return { agent, token };
}

describe('csrfProtection', () => {
  test('a form field with the session token lets a POST through', async () => {
    const { agent, token } = await withToken();
    await agent.post('/act').type('form').send({ _csrf: token }).expect(200, 'done');
  });

  test('the X-CSRF-Token header lets a script POST through', async () => {
    const { agent, token } = await withToken();
    await agent.post('/act').set('X-CSRF-Token', token).expect(200, 'done');
  });

  test('the token is the same across pages of one session', async () => {
    const { agent, token } = await withToken();
    const again = await agent.get('/form');
    assert.match(again.text, new RegExp(token));
  });

  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    test(`${method.toUpperCase()} without a token is refused with 403`, async () => {
      const { agent } = await withToken();
      const res = await agent[method]('/act');
      assert.equal(res.status, 403);
      assert.notEqual(res.text, 'done');
    });
  }

  test('a wrong token, or a token of another session, is refused', async () => {
    const { agent, token } = await withToken();
    await agent.post('/act').type('form').send({ _csrf: token.slice(0, -1) + 'x' }).expect(403);
    const other = await withToken();
    await agent.post('/act').type('form').send({ _csrf: other.token }).expect(403);
  });

  test('a POST with no session at all is refused with the translated page', async () => {
    const res = await request(app).post('/act').set('Accept-Language', 'en-US').type('form').send({ _csrf: 'anything' });
    assert.equal(res.status, 403);
    assert.equal(stateOf(res.text), 'error');
    assert.match(res.text, /<html lang="en">[\s\S]*Your page had expired/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('a refused portal form links back to its page for a fresh token', async () => {
    const token = 'AAAAAAABawWmcI56aZu2iCNXrJxxZXYttU0';
    const res = await request(app).post(`/r/${token}/act`).type('form').send({});
    assert.equal(res.status, 403);
    assert.match(res.text, new RegExp(`<a class="button primary" href="/r/${token}">`));
  });

  test('GET needs no token, and a page that does not read one starts no session', async () => {
    const res = await request(app).get('/plain');
    assert.equal(res.status, 200);
    assert.equal(res.headers['set-cookie'], undefined);
  });
});
