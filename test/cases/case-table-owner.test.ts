// Only server/cases/ writes the `cases` table, so every case creation and status change passes
// through one place (where the operator's case.created and case.updated events are recorded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SERVER = join(import.meta.dirname, '..', '..', 'server');
const OWNER = join(SERVER, 'cases');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === OWNER ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** A knex chain on `cases` (up to the end of its statement) that writes, or SQL that does. */
const WRITES = [
  /\(\s*'cases'\s*\)[^;]*?\.(insert|update|del|delete|increment|decrement|upsert|merge|truncate)\s*\(/s,
  /\b(insert\s+into|update|delete\s+from)\s+"?cases"?\b/i,
];

test('no module outside server/cases/ writes the cases table', () => {
  const writers = sourceFiles(SERVER).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return WRITES.some((pattern) => pattern.test(text));
  });
  assert.deepEqual(writers.map((file) => relative(SERVER, file)), []);
});

test('the check finds a write written the usual ways', () => {
  const samples = [
    "await trx('cases').where({ id }).update({ status: 'x' });",
    "await db('cases')\n  .where({ id })\n  .del();",
    "await db.raw('update cases set status = ?', ['x']);",
  ];
  for (const sample of samples) assert.ok(WRITES.some((p) => p.test(sample)), sample);
  assert.ok(!WRITES.some((p) => p.test("const rows = await db('cases').where({ id }).first();")));
});
