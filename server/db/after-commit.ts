// Something to do once a write is for good (a count on the metrics page, say): at once outside a
// transaction; inside one, when its outermost transaction has committed, and never if it rolls back.
import type { Knex } from 'knex';

/** knex's own link from a nested transaction (a savepoint) to the one it runs in. */
type Nested = Knex.Transaction & { parentTransaction?: Knex.Transaction };

export function afterCommit(db: Knex | Knex.Transaction, action: () => void): void {
  if (!db.isTransaction) return action();
  let outermost = db as Nested;
  while (outermost.parentTransaction) outermost = outermost.parentTransaction as Nested;
  outermost.executionPromise.then(action, () => {});
}
