// STORM_GUARD=off: nothing is counted, a hold (Belvo's institution_down) still holds, and while a
// bank has none, opening its cases takes no lock: on PostgreSQL a transaction holding the bank's
// lock (a hold being started) does not make a new case of that bank wait.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSqlite } from '../../server/db/database.ts';
import { guardFirstMessage } from '../../server/storm/storm-guard.ts';
import { lockInstitution, startHolding } from '../../server/storm/storm-repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const NOW = 1_800_000_000_000;

describe('the storm guard switched off', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  const firstMessage = (institution: string) =>
    database.db.transaction((trx) => guardFirstMessage(trx, undefined, { institution, newCase: true, now: NOW }));

  test('a bank with no hold: the message goes, without waiting for a transaction that holds the bank', { timeout: 10_000 }, async () => {
    const institution = 'erebor_mx_retail';
    if (isSqlite(database.db)) {
      // One writer: no transaction can hold the bank meanwhile.
      assert.equal((await firstMessage(institution)).heldBy, undefined);
      return;
    }
    let letGo!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const other = database.db.transaction(async (trx) => {
      await lockInstitution(trx, institution);
      holding();
      await new Promise<void>((resolve) => (letGo = resolve));
    });
    await held;
    try {
      assert.equal((await firstMessage(institution)).heldBy, undefined);
    } finally {
      letGo();
      await other;
    }
  });

  test('a bank Belvo reported down: the message is held', async () => {
    const institution = 'mordor_br_retail';
    await database.db.transaction((trx) => startHolding(trx, { institution, reason: 'institution_down', cases: 0 }, NOW));
    assert.deepEqual((await firstMessage(institution)).heldBy, { institution, reason: 'institution_down' });
  });
});
