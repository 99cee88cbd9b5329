// In production the dev inbox is never served, so an e-mail or SMS channel left on it sends to no
// one: the process says so when it starts, where the operator reads the deployment's first lines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, productFleet, type ProductFleet, type ProductProcess } from '../support/product-process.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';

let fleet: ProductFleet;
before(async () => {
  fleet = await productFleet();
});
after(() => fleet.close());

const WARNING = /production never shows, so nobody receives them/;

/** The log lines written as it started (they may reach us just after it answers /healthz). */
async function startLines(product: ProductProcess): Promise<string[]> {
  return eventually('the start to be logged', async () => {
    const lines = product.output().split('\n');
    const started = lines.findIndex((l) => l.includes('"msg":"relink started"'));
    // The warning, when there is one, is written right after, in the same turn.
    return started >= 0 && lines.slice(started, started + 3);
  });
}

test('production without SMTP or Twilio warns that e-mail and SMS would reach nobody', async () => {
  const product = await fleet.start({ ...PRODUCTION_ENV });
  const line = await eventually('the warning', async () => product.output().split('\n').find((l) => WARNING.test(l)));
  const entry = JSON.parse(line) as { level: string; dev_inbox_channels: string[] };
  assert.equal(entry.level, 'warn');
  assert.deepEqual(entry.dev_inbox_channels, ['e-mail (SMTP_URL)', 'SMS (TWILIO_ACCOUNT_SID)']);
  await product.stop();
});

test('production with SMTP and Twilio set, or a web process that sends nothing, says nothing of it', async () => {
  const configured = await fleet.start({
    ...PRODUCTION_ENV,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: 'no-reply@fintech.example',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'token',
    TWILIO_FROM: '+5215512345678',
  });
  const web = await fleet.start({ ...PRODUCTION_ENV, RELINK_ROLE: 'web' });
  for (const product of [configured, web]) assert.ok(!(await startLines(product)).some((l) => WARNING.test(l)));
  await configured.stop();
  await web.stop();
});
