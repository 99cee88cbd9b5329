// The demo prints where the console is and its generated password when it starts (CONTRACT.md:
// ADMIN_PASSWORD "generated in demo, printed at start"); a password the operator set is never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;

/** Starts `npm start`'s process with `env`, returns what it printed once the console line is out, and stops it. */
async function startOutput(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Operator console:.*\n/.test(output)) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`exited with ${code} before printing: ${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  }
  return output;
}

test('the demo prints the console address and its generated password', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-demo-'));
  try {
    const output = await startOutput({ DATA_DIR: dataDir });
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { adminPassword: string };
    assert.match(output, new RegExp(`Operator console: +http://localhost:0/admin +\\(password: ${secrets.adminPassword}\\)`));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a password the operator set is not printed', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-demo-'));
  try {
    const output = await startOutput({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'operator-chosen-password-42' });
    assert.match(output, /Operator console: .*\(password: ADMIN_PASSWORD\)/);
    assert.doesNotMatch(output, /operator-chosen-password-42/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
