// CSRF protection in front of a tiny app: the token is the HMAC of a per-browser cookie and the
// form's scope, a page view stores nothing on the server, and every unsafe request without the
// right token (form field or header) is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { CSRF_COOKIE_NAME, csrfProtection, csrfTokenFor } from '../../server/http/csrf.ts';
import { createSessionMiddleware } from '../../server/http/session-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';

const SECRET = 'csrf-test-secret-0123456789abcdefgh';
let database: TestDatabase;
let app: express.Express;

before(async () => {
  database = await createTestDatabase();
  app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(createSessionMiddleware({ db: database.db, secret: SECRET, clock: manualClock() }));
  // Scoped by the first path segment, as the portal scopes by link token.
  app.use(csrfProtection({ secret: SECRET, scope: (req) => req.path.split('/')[1] ?? '' }));
  app.get('/:scope/form', (req, res) => {
    res.send(`<input name="_csrf" value="${csrfTokenFor(req)}">`);
  });
  app.get('/:scope/template', (_req, res) => {
    res.send(`<input name="_csrf" value="${res.locals['csrfToken']}">`);
  });
  app.get('/:scope/plain', (_req, res) => {
    res.send('no form');
  });
  app.all('/:scope/act', (_req, res) => {
    res.send('done');
  });
});
after(() => database.close());

async function withToken(scope = 'a') {
  const agent = request.agent(app);
  const page = await agent.get(`/${scope}/form`);
  const token = /value="([^"]+)"/.exec(page.text)![1]!;
  return { agent, token, page };
}

const rows = async (table: string) => Number((await database.db(table).count({ n: '*' }).first())?.['n'] ?? 0);

describe('csrfProtection', () => {
  test('a form field with the page\'s token lets a POST through', async () => {
    const { agent, token } = await withToken();
    await agent.post('/a/act').type('form').send({ _csrf: token }).expect(200, 'done');
  });

  test('the X-CSRF-Token header lets a script POST through', async () => {
    const { agent, token } = await withToken();
    await agent.post('/a/act').set('X-CSRF-Token', token).expect(200, 'done');
  });

  test('res.locals.csrfToken is the same token, for templates rendered with res.render', async () => {
    const { agent, token } = await withToken();
    const page = await agent.get('/a/template');
    assert.match(page.text, new RegExp(token));
  });

  test('a page view sets only an HttpOnly, SameSite=Lax cookie and writes nothing to the database', async () => {
    const before = await rows('sessions');
    const { page } = await withToken();
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
    assert.equal(cookies.length, 1, cookies.join(' | '));
    assert.match(cookies[0]!, new RegExp(`^${CSRF_COOKIE_NAME.replace('.', '\\.')}=[A-Za-z0-9_-]{43};`));
    assert.match(cookies[0]!, /HttpOnly/);
    assert.match(cookies[0]!, /SameSite=Lax/);
    assert.equal(await rows('sessions'), before);
  });

  test('a page without a form sets no cookie at all', async () => {
    const res = await request(app).get('/a/plain');
    assert.equal(res.status, 200);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('the token stays the same across the pages of one scope, and differs between scopes', async () => {
    const { agent, token } = await withToken();
    assert.match((await agent.get('/a/form')).text, new RegExp(token));
    const other = /value="([^"]+)"/.exec((await agent.get('/b/form')).text)![1]!;
    assert.notEqual(other, token);
    await agent.post('/b/act').type('form').send({ _csrf: token }).expect(403);
  });

  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    test(`${method.toUpperCase()} without a token is refused with 403`, async () => {
      const { agent } = await withToken();
      const res = await agent[method]('/a/act');
      assert.equal(res.status, 403);
      assert.notEqual(res.text, 'done');
    });
  }

  test('a wrong token, or the token of another browser, is refused', async () => {
    const { agent, token } = await withToken();
    await agent.post('/a/act').type('form').send({ _csrf: `${token.slice(0, -2)}AA` }).expect(403);
    const other = await withToken();
    await agent.post('/a/act').type('form').send({ _csrf: other.token }).expect(403);
  });

  test('a right token without its cookie is refused: the cookie is what an attacker cannot send', async () => {
    const { token } = await withToken();
    await request(app).post('/a/act').type('form').send({ _csrf: token }).expect(403);
  });

  test('a cookie value someone planted is useless without the HMAC only our pages hand out', async () => {
    const planted = 'A'.repeat(43);
    const guess = Buffer.from(planted).toString('base64url');
    await request(app).post('/a/act').set('Cookie', `${CSRF_COOKIE_NAME}=${planted}`).type('form').send({ _csrf: guess }).expect(403);
  });

  test('a refusal is a plain 403 unless the app says otherwise', async () => {
    const res = await request(app).post('/a/act').type('form').send({ _csrf: 'anything' });
    assert.equal(res.status, 403);
    assert.match(res.text, /Open the page again/);
  });
});
