import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhookAuthCheck, parseWebhookAuth } from '../../server/webhooks/webhook-auth.ts';

const SECRET = 'test-webhook-token-0123456789abcdef';
const BASIC = 'dXNlcjpwYXNzd29yZDAxMjM0NTY3ODk=';

describe('BELVO_WEBHOOK_AUTH: the forms it may take', () => {
  const accepted: Array<[string, ReturnType<typeof parseWebhookAuth>]> = [
    [`Bearer ${SECRET}`, { scheme: 'Bearer', secret: SECRET }],
    [SECRET, { scheme: 'Bearer', secret: SECRET }],
    [`bearer ${SECRET}`, { scheme: 'Bearer', secret: SECRET }],
    [`  BEARER \t ${SECRET}  `, { scheme: 'Bearer', secret: SECRET }],
    [`Basic ${BASIC}`, { scheme: 'Basic', secret: BASIC }],
  ];
  for (const [value, expected] of accepted) {
    test(`${JSON.stringify(value)} is read as ${expected?.scheme} with its secret`, () => {
      assert.deepEqual(parseWebhookAuth(value), expected);
    });
  }

  for (const value of ['', 'Bearer', 'Bearer short', 'x'.repeat(15), `Token ${SECRET}`, `Bearer ${SECRET} extra`, `Bearer Bearer ${SECRET}`]) {
    test(`${JSON.stringify(value)} is refused`, () => {
      assert.equal(parseWebhookAuth(value), undefined);
    });
  }
});

describe('which Authorization headers carry the configured secret', () => {
  for (const configured of [`Bearer ${SECRET}`, SECRET]) {
    const check = createWebhookAuthCheck(parseWebhookAuth(configured)!);
    describe(`configured as ${JSON.stringify(configured.slice(0, 12))}…`, () => {
      for (const header of [`Bearer ${SECRET}`, SECRET, `bearer ${SECRET}`, `Bearer  ${SECRET} `, `Bearer Bearer ${SECRET}`]) {
        test(`accepts ${JSON.stringify(header.replace(SECRET, '<secret>'))}`, () => assert.equal(check(header), true));
      }
      for (const header of [
        undefined,
        '',
        'Bearer',
        `Bearer ${SECRET.slice(0, -1)}X`,
        `Bearer ${SECRET}x`,
        `Basic ${SECRET}`,
        `Token ${SECRET}`,
        `Bearer Bearer Bearer ${SECRET}`,
        `${SECRET} Bearer`,
        `Bearer ${SECRET} ${SECRET}`,
      ]) {
        test(`refuses ${JSON.stringify(header?.replace(SECRET, '<secret>'))}`, () => assert.equal(check(header), false));
      }
    });
  }

  test('a Basic credential is accepted with its scheme or bare, never as a Bearer token', () => {
    const check = createWebhookAuthCheck(parseWebhookAuth(`Basic ${BASIC}`)!);
    assert.equal(check(`Basic ${BASIC}`), true);
    assert.equal(check(`basic ${BASIC}`), true);
    assert.equal(check(BASIC), true);
    assert.equal(check(`Bearer ${BASIC}`), false);
  });

  test('a header far longer than any secret is refused without being read', () => {
    const check = createWebhookAuthCheck(parseWebhookAuth(SECRET)!);
    assert.equal(check(`Bearer ${'x'.repeat(10_000)}`), false);
  });
});
