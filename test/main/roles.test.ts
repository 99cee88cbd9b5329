// RELINK_ROLE: `all` (the default) answers Belvo and works through what it records in one process,
// the worker on a thread of its own (or several: WORKER_THREADS); `web` and `worker` split the two
// across processes sharing one database, and several of each can run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventually, postDemoWebhook, productFleet, threadNiceValues, type ProductFleet, type ProductProcess } from '../support/product-process.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { WEBHOOK_AUTH } from '../support/test-app.ts';

let fleet: ProductFleet;
before(async () => {
  fleet = await productFleet();
});
after(() => fleet.close());

const start = (env: Record<string, string>) => fleet.start(env);

/** The case the worker opened for the link once its message went out, if it has. */
async function notifiedCase(linkId: string): Promise<boolean> {
  const row = await fleet.database.db('cases').where({ link_id: linkId, status: 'notified' }).first();
  return row !== undefined;
}

describe('RELINK_ROLE=all, the default', () => {
  test('one process records the webhook and its worker thread opens the case and sends the message', async () => {
    const product = await start({});
    const linkId = randomUUID();
    assert.equal(await postDemoWebhook(product, linkId), 202);
    await eventually('the case to be opened and its message sent', () => notifiedCase(linkId));
    assert.match(product.output(), /"role":"all"/);
    await product.stop();
  });

  test('its worker thread runs at a lower CPU priority than the thread that answers Belvo', async () => {
    const product = await start({});
    const threads = await eventually('the worker thread to lower its priority', async () => {
      const nice = threadNiceValues(product.pid);
      return nice.others.includes(10) && nice;
    });
    assert.equal(threads.main, 0, 'the web thread keeps the normal priority');
    assert.equal(threads.others.filter((n) => n === 10).length, 1, 'one thread, the worker, is lowered');
    await product.stop();
  });
});

describe('WORKER_THREADS=2: one process works on two worker threads', () => {
  let smtp: SmtpTestServer;
  before(async () => {
    // A relay that takes a while per message, so that both threads have sends in flight at once.
    smtp = await startSmtpServer({ delayMs: 50 });
  });
  after(() => smtp.close());

  test('each case is opened once and each message sent once, over no more SMTP connections than the process is allowed', async () => {
    const product = await start({ WORKER_THREADS: '2', SMTP_URL: smtp.url, SMTP_MAX_CONNECTIONS: '2' });
    const lowered = await eventually('both worker threads to lower their priority', async () => {
      const nice = threadNiceValues(product.pid);
      return nice.others.filter((n) => n === 10).length === 2 && nice;
    });
    assert.equal(lowered.main, 0, 'the web thread keeps the normal priority');

    const linkIds = Array.from({ length: 40 }, () => randomUUID());
    for (const linkId of linkIds) assert.equal(await postDemoWebhook(product, linkId), 202);
    const cases = await eventually('every case opened and its message sent', async () => {
      const rows = await fleet.database.db('cases').whereIn('link_id', linkIds).where({ status: 'notified' });
      return rows.length === linkIds.length && rows;
    }, 30_000);
    const messages = await fleet.database.db('outbox').whereIn('case_id', cases.map((c) => c.id));
    assert.equal(messages.length, linkIds.length, 'one message per case');
    assert.equal(smtp.messages.length, linkIds.length, 'each message reached the relay once');
    assert.equal(smtp.mostConnections, 2, 'one connection per thread: both threads sent, side by side, and no more than SMTP_MAX_CONNECTIONS');
    await product.stop();
  });
});

describe('RELINK_ROLE=web and RELINK_ROLE=worker in separate processes over one database', () => {
  let web: ProductProcess;
  let workers: ProductProcess[];
  before(async () => {
    web = await start({ RELINK_ROLE: 'web' });
    // In the demo the worker asks the web process's Belvo simulator about unregistered links.
    const belvo = { BELVO_API_URL: `${web.url}/sandbox/belvo` };
    // One of them works on two threads: three workers in all, claiming from one database.
    workers = [await start({ RELINK_ROLE: 'worker', WORKER_THREADS: '2', ...belvo }), await start({ RELINK_ROLE: 'worker', ...belvo })];
  });

  test('the web process only records; the workers open each case once and send each message once', async () => {
    const linkIds = Array.from({ length: 6 }, () => randomUUID());
    for (const linkId of linkIds) assert.equal(await postDemoWebhook(web, linkId), 202);
    for (const linkId of linkIds) await eventually(`the case of ${linkId}`, () => notifiedCase(linkId));
    const cases = await fleet.database.db('cases').whereIn('link_id', linkIds);
    assert.equal(cases.length, linkIds.length, 'one case per link');
    const messages = await fleet.database.db('outbox').whereIn('case_id', cases.map((c) => c.id));
    assert.equal(messages.length, linkIds.length, 'one message per case');
    assert.ok(messages.every((m) => m.state === 'done'));
  });

  test('a worker process answers health checks and metrics and nothing else; the web process serves no background work', async () => {
    for (const worker of workers) {
      const ready = await fetch(`${worker.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready' });
      assert.equal((await fetch(`${worker.url}/metrics`)).status, 200);
      assert.equal((await fetch(`${worker.url}/api/cases`)).status, 404);
      assert.equal(
        (await fetch(`${worker.url}/webhooks/belvo`, { method: 'POST', headers: { authorization: WEBHOOK_AUTH } })).status,
        404,
      );
    }
    assert.equal((await fetch(`${web.url}/readyz`)).status, 200);
    assert.match(web.output(), /"role":"web"/);
    for (const worker of workers) {
      const nice = threadNiceValues(worker.pid);
      assert.deepEqual([nice.main, ...new Set(nice.others)], [0, 0], 'with no web thread to give way to, the worker keeps the normal priority');
    }
    assert.doesNotMatch(web.output(), /worker/i);
  });
});
