// On SQLite an erased person must be gone from the files themselves, not only from the tables: the
// product runs as `npm start` runs it (web and worker threads, each with its own connection), and
// the test reads the bytes of the database file and of its write-ahead log before and after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../server/db/database.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { eventually, startProduct, type ProductProcess } from '../support/product-process.ts';
import { API_KEY, WEBHOOK_AUTH } from '../support/test-app.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'relink-erasure-files-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every connection to the file zeroes what it deletes', async () => {
  const db = createDatabase(`file:${join(dir, 'pragma.db')}`);
  try {
    assert.deepEqual(await db.raw('pragma secure_delete'), [{ secure_delete: 1 }]);
  } finally {
    await db.destroy();
  }
});

describe('erasure on SQLite, in the files', () => {
  const file = () => join(dir, 'relink.db');
  const externalId = `files-${randomUUID()}`;
  const person = {
    oldEmail: 'carla.antiga@example.com',
    email: 'carla.apagada@example.com',
    phone: '+5511912348765',
    name: 'Carla Apagada Reis',
    cpf: '39053344705',
  };
  let product: ProductProcess;

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${product.url}${path}`, {
      method,
      headers: { authorization: path.startsWith('/api') ? `Bearer ${API_KEY}` : WEBHOOK_AUTH, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** The bytes of the database file and of its log, as they are on disk now. */
  const onDisk = () => Buffer.concat([readFileSync(file()), existsSync(`${file()}-wal`) ? readFileSync(`${file()}-wal`) : Buffer.alloc(0)]);
  const { oldEmail, ...current } = person;
  const needles = Object.values(current);

  before(async () => {
    product = await startProduct({
      DATA_DIR: dir,
      DATABASE_URL: `file:${file()}`,
      BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
      OPERATOR_API_KEY: API_KEY,
      RELINK_ROLE: 'all',
      STORM_GUARD: 'off',
    });
    // She changed her address once: the earlier one must go too.
    assert.equal((await call('PUT', `/api/users/${externalId}`, { email: person.oldEmail })).status, 201);
    const user = { email: person.email, phone: person.phone, name: person.name, channels: ['email', 'sms'], document: { type: 'CPF', number: person.cpf } };
    assert.equal((await call('PUT', `/api/users/${externalId}`, user)).status, 200);
    const linkId = randomUUID();
    assert.equal((await call('POST', '/webhooks/belvo', freshSeedWebhook('link-invalid-credentials', { linkId, externalId }))).status, 202);
    await eventually('her message to be sent', async () => {
      const res = await call('GET', `/api/cases?link_id=${linkId}`);
      const { cases } = (await res.json()) as { cases: Array<{ status: string }> };
      return cases[0]?.status === 'notified';
    });
  });
  after(() => product?.stop());

  test('before: her e-mail, phone, name and CPF are in the files, so the test below proves something', () => {
    const bytes = onDisk();
    assert.deepEqual(
      needles.filter((needle) => !bytes.includes(needle)),
      [],
    );
  });

  test('after DELETE /api/users/:externalId none is in the database file or its log, however busy the product', async () => {
    // Webhooks for other people keep both threads writing and reading while the log is emptied.
    const someoneElse = () => freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID() });
    const burst = Array.from({ length: 300 }, () => call('POST', '/webhooks/belvo', someoneElse()));
    const erased = await call('DELETE', `/api/users/${externalId}`);
    assert.deepEqual((await Promise.all(burst)).filter((res) => res.status !== 202).length, 0);
    assert.equal(erased.status, 204);
    const bytes = onDisk();
    // The earlier address may have left the log already (its page was rewritten, and zeroed, when
    // it changed): whether or not, it must not be there now.
    assert.deepEqual(
      [...needles, oldEmail].filter((needle) => bytes.includes(needle)),
      [],
    );
  });
});
