import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import { BelvoApiError, type BelvoClient } from '../../server/belvo/belvo-types.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

const TOKEN = 'Bearer registration-canary-0123456789abcdef';
const LINK = '0b1f2e3d-4c5b-4a69-8778-96a5b4c3d2e1';
const BROKEN = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('Belvo client: accounts and payments webhooks, against the simulator', () => {
  let sandbox: RunningBelvoSimulator;
  let client: BelvoClient;

  before(async () => {
    sandbox = await startBelvoSimulator();
    client = createBelvoClient({ apiUrl: sandbox.url, secretId: sandbox.secretId, secretPassword: sandbox.secretPassword, timeoutMs: 1000 });
  });
  after(() => sandbox.close());

  test('listAccounts follows every page and returns each account of the link once', async () => {
    const linkId = randomUUID();
    sandbox.simulator.setAccountCount(linkId, 250);
    const accounts = await client.listAccounts(linkId);
    assert.equal(accounts.length, 250);
    assert.equal(new Set(accounts.map((a) => a.id)).size, 250);
    assert.ok(accounts.every((a) => a.link === linkId));
    const pages = sandbox.simulator.calls.filter((c) => c.path === '/api/accounts/' || c.path === '/api/accounts');
    assert.equal(pages.length, 3, 'pages of 100, 100 and 50');
  });

  test('listAccounts of a link without accounts is an empty list, and the same link always lists the same ids', async () => {
    const linkId = randomUUID();
    sandbox.simulator.setAccountCount(linkId, 0);
    assert.deepEqual(await client.listAccounts(linkId), []);
    const other = randomUUID();
    const first = (await client.listAccounts(other)).map((a) => a.id);
    assert.ok(first.length >= 1 && first.length <= 4);
    assert.deepEqual((await client.listAccounts(other)).map((a) => a.id), first);
  });

  test('the simulator honours page_size and links each page to the next', async () => {
    const linkId = randomUUID();
    sandbox.simulator.setAccountCount(linkId, 3);
    const auth = `Basic ${Buffer.from(`${sandbox.secretId}:${sandbox.secretPassword}`).toString('base64')}`;
    const page = await fetch(`${sandbox.url}/api/accounts/?link=${linkId}&page_size=2`, { headers: { Authorization: auth } });
    const body = (await page.json()) as { count: number; next: string; previous: null; results: unknown[] };
    assert.equal(body.count, 3);
    assert.equal(body.results.length, 2);
    assert.equal(body.previous, null);
    assert.match(body.next, /page=2/);
    const last = (await (await fetch(body.next, { headers: { Authorization: auth } })).json()) as { next: null; results: unknown[] };
    assert.equal(last.results.length, 1);
    assert.equal(last.next, null);
  });

  test('an error from Belvo is an error, not an empty list', async () => {
    sandbox.simulator.answerNext({ status: 401, code: 'authentication_failed' });
    const err = await rejection(client.listAccounts(randomUUID()));
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 401);
  });

  test('registerPaymentsWebhook sends name, url and the Authorization header, and returns the answer with the token masked', async () => {
    const answer = await client.registerPaymentsWebhook({ name: 'Relink', url: 'https://relink.example.com/webhooks/belvo', authToken: TOKEN });
    assert.equal(answer.auth_token, '*******');
    assert.equal(answer.auth_header, 'Authorization');
    assert.equal(answer.url, 'https://relink.example.com/webhooks/belvo');
    assert.match(answer.id, /^[0-9a-f-]{36}$/);
    assert.ok(answer.created_at && answer.created_by);
    const stored = sandbox.simulator.webhookRegistrations().at(-1)!;
    assert.equal(stored.auth_token, TOKEN);
    assert.equal(sandbox.simulator.registeredWebhookAuth(), TOKEN);
  });

  test('a refused registration is a BelvoApiError naming the field, with the token nowhere in it', async () => {
    const err = await rejection(client.registerPaymentsWebhook({ name: 'Relink', url: 'not a url', authToken: TOKEN }));
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 400);
    assert.equal(err.errors[0]?.field, 'url');
    assert.ok(!inspect(err, { depth: 10 }).includes(TOKEN));
  });
});

describe('Belvo client: accounts from an untrusted next link', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.headers.host}${req.url}`);
      const url = new URL(req.url ?? '/', 'http://x');
      const page = Number(url.searchParams.get('page') ?? 1);
      res.setHeader('Content-Type', 'application/json');
      if (url.searchParams.get('link') === BROKEN && page === 2) {
        res.statusCode = 500;
        res.end(JSON.stringify([{ code: 'unexpected_error', message: 'boom', request_id: 'r1' }]));
        return;
      }
      res.end(
        JSON.stringify({
          count: 2,
          // Belvo's next is absolute; this one points elsewhere and drops the link filter.
          next: page === 1 ? 'https://elsewhere.example/api/accounts/?page=2' : null,
          results: [{ id: `acc-${page}` }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('the next page is asked of the configured Belvo, for the same link, never of the host in next', async () => {
    const client = createBelvoClient({ apiUrl: base, secretId: 'id', secretPassword: 'pw' });
    const accounts = await client.listAccounts(LINK);
    assert.deepEqual(accounts.map((a) => a.id), ['acc-1', 'acc-2']);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((s) => s.startsWith('127.0.0.1:') && s.includes('/prefix/api/accounts/') && s.includes(`link=${LINK}`)), seen.join(' '));
  });

  test('a page that fails after the first makes the whole list fail, so no short list is kept', async () => {
    const client = createBelvoClient({ apiUrl: base, secretId: 'id', secretPassword: 'pw' });
    const err = await rejection(client.listAccounts(BROKEN));
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 500);
  });
});
