// The metrics and logs of the product as `npm start` runs it: in RELINK_ROLE=all the worker runs on
// a thread of its own, and what it counts (the case, the message through SMTP, its Belvo calls)
// still appears on the web thread's /metrics; a worker-only process answers /metrics itself; lines
// the worker thread writes carry its job ids.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventually, postDemoWebhook, productFleet, type ProductFleet, type ProductProcess } from '../support/product-process.ts';
import { valueOf } from '../support/prometheus-text.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';

let fleet: ProductFleet;
let smtp: SmtpTestServer;
before(async () => {
  fleet = await productFleet();
  smtp = await startSmtpServer();
});
after(async () => {
  await fleet.close();
  await smtp.close();
});

const start = (env: Record<string, string>) => fleet.start({ SMTP_URL: smtp.url, ...env });

async function postWebhook(product: ProductProcess, linkId: string): Promise<void> {
  assert.equal(await postDemoWebhook(product, linkId), 202);
}

async function scrape(product: ProductProcess): Promise<string> {
  const res = await fetch(`${product.url}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

const sent = (text: string) => valueOf(text, 'relink_messages_total', { channel: 'email', status: 'sent' });

function jsonLines(output: string): Array<Record<string, unknown>> {
  return output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
}

describe('RELINK_ROLE=all: the worker thread counts on the web thread\'s /metrics', () => {
  test('a webhook, its case, its Belvo call and its message through SMTP, with the job id on the worker\'s lines', async () => {
    const product = await start({});
    const messagesBefore = smtp.messages.length;
    await postWebhook(product, randomUUID());
    await postWebhook(product, 'not-a-belvo-id');
    await smtp.waitForMessages(messagesBefore + 1, 15_000);

    const failedAtOnce = (text: string) => valueOf(text, 'relink_cases_total', { kind: 'credentials', status: 'failed' });
    const text = await eventually('the worker thread\'s counts on /metrics', async () => {
      const scraped = await scrape(product);
      return sent(scraped) === 1 && failedAtOnce(scraped) === 1 && scraped;
    });
    assert.equal(valueOf(text, 'relink_webhooks_received_total', { type: 'LINK', outcome: 'accepted' }), 2);
    assert.equal(valueOf(text, 'relink_cases_total', { kind: 'credentials', status: 'notified' }), 1);
    assert.equal(valueOf(text, 'relink_belvo_requests_total', { operation: 'GET /api/links/{id}/', status: '200' }), 1);
    assert.ok(valueOf(text, 'process_cpu_seconds_total') > 0);

    const odd = await eventually('the worker thread\'s line about the odd link id', async () =>
      jsonLines(product.output()).find((l) => String(l['msg']).includes('not a Belvo id')),
    );
    assert.equal(odd?.['thread'], 'worker');
    assert.match(String(odd?.['job_id']), /^event:\d+$/);
    await product.stop();
  });
});

describe('RELINK_ROLE=web and RELINK_ROLE=worker: each process serves its own /metrics', () => {
  test('the web process counts the webhook, the worker process the case and the message', async () => {
    const web = await start({ RELINK_ROLE: 'web' });
    const worker = await start({ RELINK_ROLE: 'worker', BELVO_API_URL: `${web.url}/sandbox/belvo` });
    const messagesBefore = smtp.messages.length;
    await postWebhook(web, randomUUID());
    await smtp.waitForMessages(messagesBefore + 1, 15_000);

    const fromWorker = await eventually('the worker process\'s counts', async () => {
      const scraped = await scrape(worker);
      return sent(scraped) === 1 && scraped;
    });
    assert.equal(valueOf(fromWorker, 'relink_cases_total', { kind: 'credentials', status: 'notified' }), 1);
    assert.equal(valueOf(fromWorker, 'relink_webhooks_received_total'), 0);
    const fromWeb = await scrape(web);
    assert.equal(valueOf(fromWeb, 'relink_webhooks_received_total', { type: 'LINK', outcome: 'accepted' }), 1);
    assert.equal(sent(fromWeb), 0);
    // The database's gauges are the same whoever is asked, once their few seconds' cache has passed.
    await eventually('both processes to report the message gone from the outbox', async () => {
      const [a, b] = await Promise.all([scrape(web), scrape(worker)]);
      return valueOf(a, 'relink_outbox_pending') === 0 && valueOf(b, 'relink_outbox_pending') === 0;
    });
  });
});
