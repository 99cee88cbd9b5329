import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import { BelvoApiError, BelvoTransportError, type BelvoClient } from '../../server/belvo/belvo-types.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

const HEX32 = /^[0-9a-f]{32}$/;

function assertSecretsAbsent(err: unknown, ...secrets: string[]): void {
  assert.ok(err instanceof Error);
  const views = [err.message, String(err.stack), JSON.stringify(err), inspect(err, { depth: 10 })];
  for (const secret of secrets) {
    for (const view of views) assert.ok(!view.includes(secret), `"${secret}" leaked into ${view.slice(0, 120)}`);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

async function apiError(promise: Promise<unknown>): Promise<BelvoApiError> {
  const err = await rejection(promise);
  assert.ok(err instanceof BelvoApiError, `expected BelvoApiError, got ${inspect(err)}`);
  return err;
}

describe('Belvo client against the simulator', () => {
  let sandbox: RunningBelvoSimulator;
  let now = Date.parse('2026-01-10T12:00:00Z');
  let client: BelvoClient;
  /** For the timeout tests only: a short timeout, far below the simulator's slow answer, yet ample for a retry on a busy machine. */
  let impatient: BelvoClient;

  before(async () => {
    sandbox = await startBelvoSimulator({ clock: { now: () => now }, slowDelayMs: 3_000, mfaSessionSeconds: 720 });
    const keys = { apiUrl: sandbox.url, secretId: sandbox.secretId, secretPassword: sandbox.secretPassword };
    client = createBelvoClient(keys);
    impatient = createBelvoClient({ ...keys, timeoutMs: 1_000 });
  });
  after(() => sandbox.close());

  test('an ordinary new password makes the link valid and sends only the password', async () => {
    const linkId = randomUUID();
    const link = await client.updateLinkCredentials(linkId, { password: 'correct-horse-battery' });
    assert.equal(link.id, linkId);
    assert.equal(link.status, 'valid');
    assert.equal(link.institution, 'erebor_mx_retail');
    const call = sandbox.simulator.calls.at(-1);
    assert.equal(call?.method, 'PUT');
    assert.equal(call?.path, `/api/links/${linkId}/`);
    assert.deepEqual(call?.fields, ['password']);
    assert.deepEqual(call?.body, { password: 'correct-horse-battery' });
  });

  test('a refused password is a login_error with Belvo request id and no trace of the password', async () => {
    const err = await apiError(client.updateLinkCredentials(randomUUID(), { password: 'my-wrong-Secret99' }));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'login_error');
    assert.match(String(err.requestId), HEX32);
    assert.equal(err.mfa, undefined);
    assertSecretsAbsent(err, 'my-wrong-Secret99');
  });

  test('a bank asking for MFA gives a 428 with session, expiry and the numeric challenge', async () => {
    const linkId = randomUUID();
    const err = await apiError(client.updateLinkCredentials(linkId, { password: 'mfa' }));
    assert.equal(err.status, 428);
    assert.equal(err.code, 'token_required');
    assert.match(String(err.requestId), HEX32);
    assert.match(String(err.mfa?.session), HEX32);
    assert.equal(err.mfa?.expiry, 720);
    assert.deepEqual(err.mfa?.tokenGenerationData, {
      instructions: 'Use this code to generate the token',
      type: 'numeric',
      value: '12345',
      expects_user_input: true,
    });
    assert.equal((await client.getLink(linkId)).status, 'token_required');
  });

  test('a QR challenge carries a value to draw and expects the code the bank app shows', async () => {
    const err = await apiError(client.updateLinkCredentials(randomUUID(), { password: 'mfa-qr' }));
    assert.equal(err.mfa?.tokenGenerationData?.type, 'qr');
    assert.ok(err.mfa?.tokenGenerationData?.value);
    assert.equal(err.mfa?.tokenGenerationData?.expects_user_input, true);
  });

  test('an institution needing a second password answers required on password2, then accepts it', async () => {
    const linkId = randomUUID();
    const err = await apiError(client.updateLinkCredentials(linkId, { password: 'two-passwords' }));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'required');
    assert.equal(err.errors[0]?.field, 'password2');
    const link = await client.updateLinkCredentials(linkId, { password: 'two-passwords', password2: 'pin-4321' });
    assert.equal(link.status, 'valid');
    assert.deepEqual(sandbox.simulator.calls.at(-1)?.fields, ['password', 'password2']);
  });

  test('an empty password2 or token is not sent to Belvo', async () => {
    await client.updateLinkCredentials(randomUUID(), { password: 'fine-password', password2: '', token: '' });
    assert.deepEqual(sandbox.simulator.calls.at(-1)?.fields, ['password']);
  });

  for (const [password, status, code] of [
    ['sessions', 400, 'too_many_sessions'],
    ['down', 400, 'institution_down'],
    ['unavailable', 400, 'institution_unavailable'],
    ['boom', 500, 'unexpected_error'],
    ['unauthorized', 401, 'authentication_failed'],
  ] as const) {
    test(`the "${password}" password surfaces as ${status} ${code} with a request id`, async () => {
      const err = await apiError(client.updateLinkCredentials(randomUUID(), { password }));
      assert.equal(err.status, status);
      assert.equal(err.code, code);
      assert.match(String(err.requestId), HEX32);
    });
  }

  test('wrong secret keys are answered 401 authentication_failed', async () => {
    const badKeys = createBelvoClient({ apiUrl: sandbox.url, secretId: sandbox.secretId, secretPassword: 'nope' });
    const err = await apiError(badKeys.getLink(randomUUID()));
    assert.equal(err.status, 401);
    assert.equal(err.code, 'authentication_failed');
    assertSecretsAbsent(err, 'nope');
  });

  test('a Belvo slower than the timeout is a transport timeout that names no password', async () => {
    const err = await rejection(impatient.updateLinkCredentials(randomUUID(), { password: 'slow' }));
    assert.ok(err instanceof BelvoTransportError);
    assert.equal(err.reason, 'timeout');
    assertSecretsAbsent(err, 'slow');
  });

  test('a password update that times out is not sent twice', async () => {
    const before = sandbox.simulator.calls.length;
    sandbox.simulator.answerNext({ hang: true });
    const err = await rejection(impatient.updateLinkCredentials(randomUUID(), { password: 'only-once-please' }));
    assert.ok(err instanceof BelvoTransportError);
    assert.equal(sandbox.simulator.calls.length - before, 1);
  });

  test('reading a link is retried once after a timeout', async () => {
    const linkId = randomUUID();
    sandbox.simulator.answerNext({ hang: true });
    const link = await impatient.getLink(linkId);
    assert.equal(link.id, linkId);
    const gets = sandbox.simulator.calls.filter((c) => c.method === 'GET' && c.linkId === linkId);
    assert.equal(gets.length, 2);
  });

  test('a status forced on the simulator reaches the caller as a typed error', async () => {
    sandbox.simulator.answerNext({ status: 503, code: 'institution_unavailable' });
    const err = await apiError(client.getLink(randomUUID()));
    assert.equal(err.status, 503);
    assert.equal(err.code, 'institution_unavailable');
  });

  describe('completing an MFA session (PATCH /api/links/)', () => {
    test('the right token makes the link valid and is sent with session and link', async () => {
      const linkId = randomUUID();
      const { mfa } = await apiError(client.updateLinkCredentials(linkId, { password: 'mfa' }));
      const link = await client.completeLinkRequest({ linkId, session: String(mfa?.session), token: '123456' });
      assert.equal(link.status, 'valid');
      const call = sandbox.simulator.calls.at(-1);
      assert.equal(call?.method, 'PATCH');
      assert.deepEqual(call?.body, { session: mfa?.session, link: linkId, token: '123456' });
    });

    test('a wrong token is a login_error that does not contain the token, and the session stays usable', async () => {
      const linkId = randomUUID();
      const { mfa } = await apiError(client.updateLinkCredentials(linkId, { password: 'mfa' }));
      const session = String(mfa?.session);
      const err = await apiError(client.completeLinkRequest({ linkId, session, token: '987654' }));
      assert.equal(err.status, 400);
      assert.equal(err.code, 'login_error');
      assert.match(String(err.requestId), HEX32);
      assertSecretsAbsent(err, '987654');
      assert.equal((await client.completeLinkRequest({ linkId, session, token: '123456' })).status, 'valid');
    });

    test('approval on another device completes without a token', async () => {
      const linkId = randomUUID();
      const { mfa } = await apiError(client.updateLinkCredentials(linkId, { password: 'mfa-device' }));
      assert.equal(mfa?.tokenGenerationData?.expects_user_input, false);
      const link = await client.completeLinkRequest({ linkId, session: String(mfa?.session) });
      assert.equal(link.status, 'valid');
      assert.deepEqual(sandbox.simulator.calls.at(-1)?.fields, ['link', 'session']);
    });

    test('a session past its expiry is session_expired', async () => {
      const linkId = randomUUID();
      const { mfa } = await apiError(client.updateLinkCredentials(linkId, { password: 'mfa' }));
      now += 721_000;
      const err = await apiError(
        client.completeLinkRequest({ linkId, session: String(mfa?.session), token: '123456' }),
      );
      assert.equal(err.status, 400);
      assert.equal(err.code, 'session_expired');
      assert.match(String(err.requestId), HEX32);
    });

    test('a session Belvo never issued is session_expired', async () => {
      const err = await apiError(
        client.completeLinkRequest({ linkId: randomUUID(), session: 'a'.repeat(32), token: '123456' }),
      );
      assert.equal(err.code, 'session_expired');
    });
  });
});

describe('Belvo client when Belvo cannot be reached or answers nonsense', () => {
  test('a refused connection is a network transport error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const client = createBelvoClient({ apiUrl: `http://127.0.0.1:${port}`, secretId: 'id', secretPassword: 'pw' });
    const err = await rejection(client.updateLinkCredentials(randomUUID(), { password: 'never-logged-123' }));
    assert.ok(err instanceof BelvoTransportError);
    assert.equal(err.reason, 'network');
    assert.match(err.message, /ECONNREFUSED/);
    assertSecretsAbsent(err, 'never-logged-123');
  });

  test('an HTML error page instead of Belvo JSON is a bad_response transport error', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad gateway</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = createBelvoClient({ apiUrl: `http://127.0.0.1:${port}`, secretId: 'id', secretPassword: 'pw' });
      const err = await rejection(client.updateLinkCredentials(randomUUID(), { password: 'html-page-pw' }));
      assert.ok(err instanceof BelvoTransportError);
      assert.equal(err.reason, 'bad_response');
      assert.match(err.message, /502/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a 428 whose expiry comes as a numeric string, as in Belvo docs, still gives a number', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(428, { 'Content-Type': 'application/json' }).end(
        JSON.stringify([
          {
            code: 'token_required',
            message: 'A MFA token is required by the institution to login',
            session: 'be7a15d5f0b84d8ea60f6c12cb2a7b32',
            expiry: '720',
            link: '449e388c-812b-4798-8743-7d11efb6becf',
            token_generation_data: { type: 'numeric', value: '555', expect_user_input: true },
            request_id: 'b7a3a5b3a3a2b6aa28f4cc98d55cf1f1',
          },
        ]),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = createBelvoClient({ apiUrl: `http://127.0.0.1:${port}/`, secretId: 'id', secretPassword: 'pw' });
      const err = await apiError(client.updateLinkCredentials(randomUUID(), { password: 'x' }));
      assert.equal(err.mfa?.expiry, 720);
      assert.equal(err.mfa?.session, 'be7a15d5f0b84d8ea60f6c12cb2a7b32');
      assert.deepEqual(err.mfa?.tokenGenerationData, { type: 'numeric', value: '555', expects_user_input: true });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
