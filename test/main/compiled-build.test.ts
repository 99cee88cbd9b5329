// `npm start` runs the compiled build: it finds and runs its migrations (under the names the sources
// gave them), its views and its assets, with no TypeScript loader anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { COMPILED_MAIN, ROOT, productDatabaseUrl, startProduct, type ProductProcess } from '../support/product-process.ts';

let database: TestDatabase;
let dataDir: string;
let product: ProductProcess;

before(async () => {
  // Migrated from the TypeScript sources, as the tests do; the compiled build must see it as up to date.
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'relink-compiled-'));
  product = await startProduct({ DATA_DIR: dataDir, DATABASE_URL: productDatabaseUrl(database) });
});
after(async () => {
  await product?.stop();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start and npm run belvo run compiled JavaScript, and tsx is for development only', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  assert.match(pkg.scripts['start']!, /^([A-Z_]+=\d+ )*node (--[a-z-]+=\d+ )*dist\/server\/main\.js$/);
  assert.match(pkg.scripts['belvo']!, /^node dist\//);
  assert.match(pkg.scripts['prepare']!, /npm run build/, 'npm ci builds');
  assert.equal(pkg.dependencies['tsx'], undefined);
  assert.ok(pkg.devDependencies['tsx']);
  assert.ok(COMPILED_MAIN.endsWith('.js'));
});

test('every migration is compiled, and a database the sources migrated counts as up to date', async () => {
  const sources = readdirSync(join(ROOT, 'db/migrations')).filter((name) => name.endsWith('.ts'));
  const compiled = readdirSync(join(ROOT, 'dist/db/migrations')).filter((name) => name.endsWith('.js'));
  assert.deepEqual(compiled.map((name) => name.replace(/\.js$/, '.ts')), sources);
  const recorded = (await database.db('knex_migrations').orderBy('id').pluck('name')) as string[];
  assert.deepEqual(recorded, sources, 'the compiled build ran nothing twice and recorded nothing new');
  assert.ok((await fetch(`${product.url}/readyz`)).ok);
});

test('a fresh database is migrated by the compiled build alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-compiled-fresh-'));
  const fresh = await startProduct({ DATA_DIR: dir });
  try {
    assert.equal((await fetch(`${fresh.url}/readyz`)).status, 200);
    const page = await fetch(`${fresh.url}/dev`);
    assert.equal(page.status, 200, 'the demo console renders, so the database and views are there');
  } finally {
    await fresh.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pages render from the compiled views, and the stylesheet is served', async () => {
  const page = await fetch(`${product.url}/r/not-a-real-link-token`);
  assert.equal(page.status, 404);
  assert.match(await page.text(), /data-state="invalid"/);
  const css = await fetch(`${product.url}/assets/css/app.css`);
  assert.equal(css.status, 200);
  assert.match(String(css.headers.get('content-type')), /text\/css/);
});
