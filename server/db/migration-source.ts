// Migrations are TypeScript files in db/migrations, named YYYYMMDDHHMM_slug.ts and applied in name
// order. The compiled build runs them as dist/db/migrations/*.js, under their source name, so a
// database migrated by either knows which have run.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const MIGRATION_FILE = /^(\d{12}_[a-z0-9-]+)\.(ts|js)$/;

export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(MIGRATIONS_DIR)
      .filter((name) => MIGRATION_FILE.test(name))
      .sort();
  },
  getMigrationName(name) {
    return name.replace(MIGRATION_FILE, '$1.ts');
  },
  async getMigration(name) {
    return (await import(pathToFileURL(join(MIGRATIONS_DIR, name)).href)) as Migration;
  },
};
