import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventInbox, toStoredEvent, type EventInbox } from '../../server/webhooks/event-inbox.ts';
import { parseWebhook, type Webhook } from '../../server/belvo/belvo-webhooks.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { T0 } from '../support/records.ts';

let database: TestDatabase;
let inbox: EventInbox;
before(async () => {
  database = await createTestDatabase();
  inbox = createEventInbox(database.db);
});
after(() => database.close());

function aWebhook(): Webhook {
  const parsed = parseWebhook(freshSeedWebhook('link-invalid-credentials'));
  assert.ok(parsed.ok);
  return parsed.webhook;
}
const stored = async (webhookId: string) =>
  database.db('events').where({ webhook_id: webhookId }).select('webhook_id', 'webhook_code', 'received_at');

describe('event inbox', () => {
  test('webhooks recorded at the same moment are each stored once, and each caller learns whether it was new', async () => {
    const seen = aWebhook();
    assert.equal(await inbox.record(seen, seen.payload, T0), true);
    const fresh = aWebhook();
    const twice = aWebhook();

    const answers = await Promise.all([
      inbox.record(fresh, fresh.payload, T0 + 1),
      inbox.record(seen, seen.payload, T0 + 1),
      inbox.record(twice, twice.payload, T0 + 1),
      inbox.record(twice, twice.payload, T0 + 1),
    ]);

    assert.deepEqual(answers, [true, false, true, false]);
    for (const webhook of [seen, fresh, twice]) assert.equal((await stored(webhook.payload.webhook_id)).length, 1);
    assert.deepEqual(await stored(fresh.payload.webhook_id), [
      { webhook_id: fresh.payload.webhook_id, webhook_code: 'invalid_credentials', received_at: T0 + 1 },
    ]);
  });

  test('a row the database refuses fails its own webhook only, not those recorded with it', async () => {
    const good = aWebhook();
    const refused = aWebhook();
    // The column is NOT NULL in both dialects: the database, not our code, turns this row down.
    (refused.payload as { webhook_code: unknown }).webhook_code = null;

    const [goodAnswer, refusedAnswer] = await Promise.allSettled([inbox.record(good, good.payload, T0), inbox.record(refused, refused.payload, T0)]);

    assert.deepEqual(goodAnswer, { status: 'fulfilled', value: true });
    assert.equal(refusedAnswer.status, 'rejected');
    assert.equal((await stored(good.payload.webhook_id)).length, 1);
    assert.equal((await stored(refused.payload.webhook_id)).length, 0);
  });

  test('a row is read back through the schemas of today: one written before data webhooks had their own kind is one now', async () => {
    const body = freshSeedWebhook('accounts-historical-update');
    // The format rows had before: the parsed payload under the kind of the time.
    const [row] = await database.db('events')
      .insert({
        webhook_id: body.webhook_id,
        webhook_type: 'ACCOUNTS',
        webhook_code: 'historical_update',
        link_id: body.link_id,
        payload: JSON.stringify({ kind: 'accounts', payload: body }),
        received_at: T0,
        available_at: T0,
      })
      .returning('*');
    const event = toStoredEvent(row!);
    assert.equal(event?.webhook.kind, 'link_data');
    assert.equal(event?.webhook.payload.link_id, body.link_id);
  });

  test('a row edited by hand into something that no longer parses fails with the field named', async () => {
    const body = freshSeedWebhook('link-invalid-credentials');
    const [row] = await database.db('events')
      .insert({
        webhook_id: body.webhook_id,
        webhook_type: 'LINK',
        webhook_code: 'invalid_credentials',
        payload: JSON.stringify({ kind: 'invalid_credentials', payload: { ...body, link_id: undefined } }),
        received_at: T0,
        available_at: T0,
      })
      .returning('*');
    assert.throws(() => toStoredEvent(row!), /link_id/);
  });
});
