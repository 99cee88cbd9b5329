import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { silentLogger } from '../../server/logger.ts';
import { createDevConsoleRouter, type DevConsoleOptions } from '../../server/sandbox/dev-console-routes.ts';
import { SEED_WEBHOOK_NAMES } from '../../server/sandbox/seed-webhooks.ts';
import { startBelvoSimulator } from '../support/belvo-simulator-server.ts';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Received {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A tiny stand-in for the portal: the console mounted at the root, and a recording POST /webhooks/belvo. */
async function startConsole(options: Partial<DevConsoleOptions> = {}, receiverStatus = 202) {
  const received: Received[] = [];
  const app = express();
  app.set('views', VIEWS);
  app.set('view engine', 'ejs');
  app.use((_req, res, next) => {
    res.locals['csrfToken'] = 'csrf-test-token';
    next();
  });
  app.post('/webhooks/belvo', express.json(), (req, res) => {
    received.push({ authorization: req.get('authorization'), body: req.body as Record<string, unknown> });
    res.status(receiverStatus).json({ status: 'recorded' });
  });
  app.use(createDevConsoleRouter({ webhookAuth: undefined, logger: silentLogger, ...options }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    fire: (form: Record<string, string>) =>
      fetch(`${base}/dev/fire`, { method: 'POST', body: new URLSearchParams({ _csrf: 'csrf-test-token', ...form }) }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const inputValue = (html: string, name: string) =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];

describe('dev console', () => {
  test('the page offers every seed webhook, a fresh link id each load, and the CSRF field', async () => {
    const dev = await startConsole();
    try {
      const first = await fetch(`${dev.base}/dev`);
      assert.equal(first.status, 200);
      const html = await first.text();
      for (const name of SEED_WEBHOOK_NAMES) assert.ok(html.includes(`value="${name}"`), `missing button for ${name}`);
      assert.match(html, /<html lang="en">/);
      assert.match(html, /<label for="link_id">/);
      assert.equal(inputValue(html, '_csrf'), 'csrf-test-token');
      assert.equal(inputValue(html, 'external_id'), 'your_external_id');
      const linkId = inputValue(html, 'link_id');
      assert.match(String(linkId), UUID);
      const again = inputValue(await (await fetch(`${dev.base}/dev`)).text(), 'link_id');
      assert.notEqual(again, linkId);
      assert.doesNotMatch(html, /<script|style=/);
    } finally {
      await dev.close();
    }
  });

  test('firing a seed posts it to /webhooks/belvo with the Authorization header and shows the answer', async () => {
    const dev = await startConsole({ webhookAuth: 'Bearer test-webhook-secret-0123456789' });
    try {
      const linkId = '0b7f7c1e-5b1a-4a57-9a8e-3c1d2e4f5a6b';
      const res = await dev.fire({ seed: 'link-invalid-credentials', link_id: linkId, external_id: 'user-42' });
      assert.equal(res.status, 200);
      assert.equal(dev.received.length, 1);
      const [hit] = dev.received;
      assert.equal(hit?.authorization, 'Bearer test-webhook-secret-0123456789');
      assert.equal(hit?.body['webhook_code'], 'invalid_credentials');
      assert.equal(hit?.body['link_id'], linkId);
      assert.equal(hit?.body['external_id'], 'user-42');
      assert.notEqual(hit?.body['webhook_id'], 'aadf41a1fc8e4f79a49f7f04027ac999');

      const html = await res.text();
      assert.match(html, /data-testid="fire-status">202</);
      assert.match(html, /&#34;status&#34;: &#34;recorded&#34;/);
      assert.match(html, /href="\/dev\/inbox"/);
      assert.equal(inputValue(html, 'link_id'), linkId);
    } finally {
      await dev.close();
    }
  });

  test('each firing is a new event, and without BELVO_WEBHOOK_AUTH no Authorization is sent', async () => {
    const dev = await startConsole({ webhookAuth: undefined });
    try {
      await dev.fire({ seed: 'consent-expired', link_id: 'l-1', external_id: 'user-1' });
      await dev.fire({ seed: 'consent-expired', link_id: 'l-1', external_id: 'user-1' });
      assert.equal(dev.received.length, 2);
      assert.equal(dev.received[0]?.authorization, undefined);
      assert.notEqual(dev.received[0]?.body['webhook_id'], dev.received[1]?.body['webhook_id']);
      assert.equal(dev.received[0]?.body['external_id'], 'user-1');
    } finally {
      await dev.close();
    }
  });

  test('once a webhook is registered with the simulator, firing sends the registered header instead of BELVO_WEBHOOK_AUTH', async () => {
    let registered: string | undefined;
    const dev = await startConsole({ webhookAuth: 'Bearer from-config-0123456789abcdef', registeredWebhookAuth: () => registered });
    try {
      await dev.fire({ seed: 'consent-expired', link_id: 'l-1', external_id: 'user-1' });
      registered = 'Bearer registered-with-simulator-0123456789';
      await dev.fire({ seed: 'consent-expired', link_id: 'l-1', external_id: 'user-1' });
      assert.deepEqual(
        dev.received.map((r) => r.authorization),
        ['Bearer from-config-0123456789abcdef', 'Bearer registered-with-simulator-0123456789'],
      );
    } finally {
      await dev.close();
    }
  });

  test('a refusing receiver is shown with its status', async () => {
    const dev = await startConsole({ webhookAuth: 'Bearer wrong-one-0123456789abcdef' }, 401);
    try {
      const html = await (await dev.fire({ seed: 'link-token-required', link_id: 'l-2', external_id: '' })).text();
      assert.match(html, /data-testid="fire-status">401</);
      assert.equal(dev.received[0]?.body['external_id'], 'your_external_id');
    } finally {
      await dev.close();
    }
  });

  test('an unknown seed is refused without sending anything', async () => {
    const dev = await startConsole();
    try {
      const res = await dev.fire({ seed: 'no-such-webhook', link_id: 'l-3', external_id: 'x' });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /role="alert"/);
      assert.equal(dev.received.length, 0);
    } finally {
      await dev.close();
    }
  });

  test('with the simulator, a fired token_required carries a session Belvo will accept', async () => {
    const sandbox = await startBelvoSimulator();
    const dev = await startConsole({ belvoSimulator: sandbox.simulator });
    try {
      const linkId = '5f0e7d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
      await dev.fire({ seed: 'link-token-required', link_id: linkId, external_id: 'user-5' });
      const data = dev.received[0]?.body['data'] as Record<string, unknown>;
      assert.notEqual(data['session'], '2675b703b9d4451f8d4861a3eee54449');
      const auth = `Basic ${Buffer.from(`${sandbox.secretId}:${sandbox.secretPassword}`).toString('base64')}`;
      const res = await fetch(`${sandbox.url}/api/links/`, {
        method: 'PATCH',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ session: data['session'], link: linkId, token: '123456' }),
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'valid');
    } finally {
      await dev.close();
      await sandbox.close();
    }
  });

  test('the page groups the webhooks by family: link, consent, data and payments', async () => {
    const dev = await startConsole();
    try {
      const html = await (await fetch(`${dev.base}/dev`)).text();
      const families = [...html.matchAll(/<fieldset class="seeds" data-family="([a-z]+)">/g)].map((m) => m[1]);
      assert.deepEqual(families, ['link', 'consent', 'data', 'payments']);
      const dataGroup = html.slice(html.indexOf('data-family="data"'), html.indexOf('data-family="payments"'));
      for (const seed of ['transactions-historical-update', 'owners-historical-update', 'bills-new-bills-available', 'investments-historical-update']) {
        assert.ok(dataGroup.includes(`value="${seed}"`), seed);
      }
      assert.ok(html.slice(html.indexOf('data-family="payments"')).includes('value="payments-charge-created"'));
    } finally {
      await dev.close();
    }
  });

  test('a payments webhook is fired with its object_id and no link_id; a CHARGES OBJECT_CREATED with data null', async () => {
    const dev = await startConsole();
    try {
      await dev.fire({ seed: 'payments-charge-created', link_id: '5f0e7d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f', external_id: 'user-1' });
      const body = dev.received[0]!.body;
      assert.equal(body['webhook_type'], 'CHARGES');
      assert.equal('link_id' in body, false);
      assert.match(String(body['object_id']), UUID);
      assert.equal(body['data'], null);
    } finally {
      await dev.close();
    }
  });

  test('with the simulator, a token_required without a hint gets a session and keeps its null challenge', async () => {
    const sandbox = await startBelvoSimulator();
    const dev = await startConsole({ belvoSimulator: sandbox.simulator });
    try {
      await dev.fire({ seed: 'link-token-required-null-generation-data', link_id: '5f0e7d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f', external_id: 'user-5' });
      const data = dev.received[0]?.body['data'] as Record<string, unknown>;
      assert.notEqual(data['session'], '2675b703b9d4451f8d4861a3eee54450');
      assert.equal(data['token_generation_data'], null);
    } finally {
      await dev.close();
      await sandbox.close();
    }
  });
});

