// The minimal durable intake: Express parses the JSON body, one better-sqlite3 INSERT (prepared
// once, WAL, synchronous=NORMAL, as the product sets SQLite) records it, and the answer is 202. What
// the product's intake is held against once it must keep what it acknowledges.
// Argument: <SQLite file>.
import { createRequire } from 'node:module';
import express from 'express';
import { serveForParent } from './serve-child.ts';

interface Statement {
  run(...params: unknown[]): unknown;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  pragma(sql: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
};

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: sqlite-insert-server.ts <SQLite file>');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('create table if not exists events (id integer primary key, webhook_id text not null unique, payload text not null, received_at integer not null)');
const insert = db.prepare('insert into events (webhook_id, payload, received_at) values (?, ?, ?) on conflict (webhook_id) do nothing');

const app = express();
app.disable('x-powered-by');
app.post('/webhooks/belvo', express.json({ limit: '1mb' }), (req, res) => {
  const body = req.body as { webhook_id?: unknown };
  insert.run(String(body.webhook_id), JSON.stringify(body), Date.now());
  res.status(202).json({ status: 'accepted', webhook_id: body.webhook_id });
});

await serveForParent(app, async () => db.close());
