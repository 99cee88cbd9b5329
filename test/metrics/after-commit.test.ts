// A count on the metrics page is made only for a write that stays: after its outermost transaction
// commits, never for one that rolls back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { afterCommit } from '../../server/db/after-commit.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

const rollback = new Error('rolled back on purpose');

test('outside a transaction at once; inside one once it commits, and never when it rolls back', async () => {
  const done: string[] = [];
  afterCommit(database.db, () => done.push('no transaction'));
  assert.deepEqual(done, ['no transaction']);

  await database.db.transaction(async (trx) => {
    await trx('rate_limits').insert({ key: 'after-commit', hits: 1, reset_at: 0 });
    afterCommit(trx, () => done.push('committed'));
    assert.deepEqual(done, ['no transaction'], 'not before the commit');
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(done, ['no transaction', 'committed']);

  await assert.rejects(
    database.db.transaction(async (trx) => {
      afterCommit(trx, () => done.push('rolled back'));
      throw rollback;
    }),
    rollback,
  );
  await assert.rejects(
    database.db.transaction(async (trx) => {
      // A savepoint that is released, inside a transaction that then rolls back.
      await trx.transaction(async (savepoint) => afterCommit(savepoint, () => done.push('nested in a rollback')));
      throw rollback;
    }),
    rollback,
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(done, ['no transaction', 'committed']);
});
