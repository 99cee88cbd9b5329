// A case's expiry is how long the links already sent to its user keep working. A new plan (a first
// message sent again, a consent due date moved) never makes it earlier, and one with no expiry keeps
// the stored one. The update decides this itself, on both databases, with no read before it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { insertCase } from '../../server/cases/case-repository.ts';
import { readReminderState, saveReminderPlan } from '../../server/cases/case-reminders.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

describe('a case expiry saved with a new reminder plan', () => {
  let database: TestDatabase;
  let caseId: number;
  before(async () => {
    database = await createTestDatabase();
    caseId = await insertCase(
      database.db,
      { linkId: randomUUID(), kind: 'credentials', status: 'notified', userId: null, externalId: null, institution: null, details: {} },
      NOW,
    );
  });
  after(() => database.close());

  const plan = (expiresAt: number | null) => saveReminderPlan(database.db, caseId, { remindersSent: 0, nextReminderAt: null, expiresAt });
  const expiry = async () => (await readReminderState(database.db, caseId))!.expiresAt;

  test('is set when the case had none', async () => {
    await plan(NOW + 7 * DAY);
    assert.equal(Number(await expiry()), NOW + 7 * DAY);
  });

  test('never moves earlier: links already sent keep working as long as they were promised to', async () => {
    await plan(NOW + 2 * DAY);
    assert.equal(Number(await expiry()), NOW + 7 * DAY);
  });

  test('stays when the new plan has no expiry', async () => {
    await plan(null);
    assert.equal(Number(await expiry()), NOW + 7 * DAY);
  });

  test('moves later when the new plan ends later', async () => {
    await plan(NOW + 9 * DAY);
    assert.equal(Number(await expiry()), NOW + 9 * DAY);
  });
});
