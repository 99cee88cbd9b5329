// On SQLite, the write-ahead log is copied into the database file off the web thread: by the worker
// thread where the process has one, by a thread of its own in a web-only process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { eventually, startProduct } from '../support/product-process.ts';
import { WEBHOOK_AUTH } from '../support/test-app.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'relink-checkpoints-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const role of ['all', 'web'] as const) {
  test(`RELINK_ROLE=${role}: the database file takes in what was written, while the product runs`, async () => {
    const file = join(dir, `${role}.db`);
    const product = await startProduct({ DATA_DIR: dir, DATABASE_URL: `file:${file}`, BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH, RELINK_ROLE: role });
    try {
      const before = statSync(file).size;
      for (let i = 0; i < 150; i++) {
        const res = await fetch(`${product.url}/webhooks/belvo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: WEBHOOK_AUTH },
          body: JSON.stringify(freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID() })),
        });
        assert.equal(res.status, 202);
      }
      await eventually('the log to be copied into the database file', async () => statSync(file).size > before + 100_000);
    } finally {
      await product.stop();
    }
  });
}
