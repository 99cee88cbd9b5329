import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../server/logger.ts';
import { scenarioFor } from '../../server/sandbox/simulator-scenarios.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

const HEX32 = /^[0-9a-f]{32}$/;

describe('Belvo simulator over HTTP', () => {
  let sandbox: RunningBelvoSimulator;
  const logLines: string[] = [];
  let auth: string;

  before(async () => {
    sandbox = await startBelvoSimulator({
      keepBodies: false,
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    });
    auth = `Basic ${Buffer.from(`${sandbox.secretId}:${sandbox.secretPassword}`).toString('base64')}`;
  });
  after(() => sandbox.close());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(sandbox.url + path, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  test('a 428 has the shape Belvo documents: one error with session, expiry, link and challenge', async () => {
    const linkId = randomUUID();
    const res = await call('PUT', `/api/links/${linkId}/`, { password: 'mfa' });
    assert.equal(res.status, 428);
    const body = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(body.length, 1);
    const [item] = body;
    assert.equal(item?.['code'], 'token_required');
    assert.equal(item?.['message'], 'A MFA token is required by the institution to login');
    assert.match(String(item?.['request_id']), HEX32);
    assert.match(String(item?.['session']), HEX32);
    assert.equal(item?.['expiry'], 720);
    assert.equal(item?.['link'], linkId);
    assert.deepEqual(Object.keys(item?.['token_generation_data'] as object).sort(), [
      'expects_user_input',
      'instructions',
      'type',
      'value',
    ]);
  });

  test('calls without the secret keys are refused with authentication_failed', async () => {
    const res = await call('GET', `/api/links/${randomUUID()}/`, undefined, { Authorization: 'Basic bm86cGU=' });
    assert.equal(res.status, 401);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['code'], 'authentication_failed');
    assert.equal(item?.['message'], 'Invalid Secret Keys');
    assert.match(String(item?.['request_id']), HEX32);
  });

  test('a link seen for the first time is created invalid, with the documented link fields', async () => {
    const linkId = randomUUID();
    const res = await call('GET', `/api/links/${linkId}/`);
    assert.equal(res.status, 200);
    const link = (await res.json()) as Record<string, unknown>;
    assert.equal(link['id'], linkId);
    assert.equal(link['status'], 'invalid');
    assert.equal(link['institution'], 'erebor_mx_retail');
    assert.equal(link['access_mode'], 'recurrent');
    assert.match(String(link['institution_user_id']), /^[A-Za-z0-9\-=_]{44}$/);
  });

  test('a link id that is not a UUID is not_found', async () => {
    const res = await call('PUT', '/api/links/not-a-link/', { password: 'x' });
    assert.equal(res.status, 404);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['code'], 'not_found');
  });

  test('a PUT without a password is a required error on the password field', async () => {
    const res = await call('PUT', `/api/links/${randomUUID()}/`, { token: '1' });
    assert.equal(res.status, 400);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['code'], 'required');
    assert.equal(item?.['field'], 'password');
  });

  test('malformed JSON is answered in Belvo error shape, not by the host app', async () => {
    const res = await call('PUT', `/api/links/${randomUUID()}/`, '{"password":');
    assert.equal(res.status, 400);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['code'], 'parse_error');
  });

  test('a PATCH without a session is a required error on the session field', async () => {
    const res = await call('PATCH', '/api/links/', { link: randomUUID(), token: '123456' });
    assert.equal(res.status, 400);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['field'], 'session');
  });

  test('a session used for another link is session_expired', async () => {
    const { session } = sandbox.simulator.openMfaSession(randomUUID());
    const res = await call('PATCH', '/api/links/', { session, link: randomUUID(), token: '123456' });
    assert.equal(res.status, 400);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    assert.equal(item?.['code'], 'session_expired');
  });

  test('a session opened for a fired webhook is accepted by PATCH and fixes the link', async () => {
    const linkId = randomUUID();
    const { session } = sandbox.simulator.openMfaSession(linkId);
    assert.equal(sandbox.simulator.getLink(linkId)?.status, 'token_required');
    const res = await call('PATCH', '/api/links/', { session, link: linkId, token: '123456' });
    assert.equal(res.status, 200);
    assert.equal(sandbox.simulator.getLink(linkId)?.status, 'valid');
  });

  test('calls are recorded with field names but, outside tests, without bodies; logs never hold the password', async () => {
    const linkId = randomUUID();
    await call('PUT', `/api/links/${linkId}/`, { password: 'Sup3r-Secret-Typed', password2: 'pin-0000' });
    const recorded = sandbox.simulator.calls.at(-1);
    assert.equal(recorded?.linkId, linkId);
    assert.deepEqual(recorded?.fields, ['password', 'password2']);
    assert.equal(recorded?.status, 200);
    assert.equal('body' in (recorded ?? {}), false);
    assert.ok(logLines.length > 0);
    assert.ok(logLines.every((line) => !line.includes('Sup3r-Secret-Typed') && !line.includes('pin-0000')));
  });
});

describe('magic passwords', () => {
  test('matching ignores case and spaces, and any password containing "wrong" is refused', () => {
    assert.deepEqual(scenarioFor('  MFA-QR '), { kind: 'mfa', mfa: 'qr' });
    assert.equal(scenarioFor('AlwaysWrong!').kind, 'error');
    assert.deepEqual(scenarioFor('mfa please'), { kind: 'valid' });
  });
});
