// The log format an operator's log pipeline reads: one JSON object per line, a level by name, an ISO
// time, and secrets censored wherever they sit in a line's fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createLogger, jobLogger, type LogLevel } from '../../server/logger.ts';

function collect(level: LogLevel = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('each line is one JSON object with the level by name, an ISO time, the message and the fields', () => {
  const { logger, lines, parsed } = collect();
  logger.info('relink started', { role: 'all' });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes('\n'));
  const [line] = parsed();
  assert.equal(line!['level'], 'info');
  assert.equal(line!['msg'], 'relink started');
  assert.equal(line!['role'], 'all');
  assert.match(String(line!['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(line!['pid'], process.pid);
});

test('LOG_LEVEL is the least severe level written', () => {
  const { logger, parsed } = collect('warn');
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  assert.deepEqual(parsed().map((l) => l['level']), ['warn', 'error']);
  const silent = collect('silent');
  silent.logger.error('nothing');
  assert.deepEqual(silent.lines, []);
});

test('an error is written with its type, message and stack', () => {
  const { logger, parsed } = collect();
  logger.error('request failed', { err: new TypeError('boom') });
  const err = parsed()[0]!['err'] as Record<string, unknown>;
  assert.equal(err['type'], 'TypeError');
  assert.equal(err['message'], 'boom');
  assert.match(String(err['stack']), /TypeError: boom/);
});

test('every secret key is censored at any depth a line reaches, headers and error properties included', () => {
  const { logger, lines } = collect();
  const secret = 'canary-5ecret-Value';
  const keys = ['password', 'password2', 'token', 'access', 'access_token', 'refresh', 'refresh_token', 'authorization', 'cookie', 'set-cookie', 'secret', 'secrets', 'secret_password', 'auth_token', '_csrf', 'session', 'sess'];
  for (const key of keys) {
    logger.warn('top', { [key]: secret });
    logger.warn('nested', { a: { b: { c: { d: { [key]: secret } } } } });
    logger.warn('in a list', { items: [{ [key]: secret }] });
    logger.warn('headers', { req: { headers: { [key]: `Bearer ${secret}` } } });
    logger.error('error', { err: Object.assign(new Error('x'), { mfa: { [key]: secret } }) });
  }
  assert.equal(lines.length, keys.length * 5);
  for (const line of lines) assert.ok(!line.includes(secret), line);
  assert.ok(lines.every((line) => line.includes('[redacted]')));
});

test('a child binds its fields to every line; a job logger binds the job id', () => {
  const { logger, parsed } = collect();
  logger.child({ request_id: 'req-1' }).info('in a request');
  const job = jobLogger(logger, 'message', 42);
  job.warn('first');
  job.error('second', { password: 'x' });
  const lines = parsed();
  assert.equal(lines[0]!['request_id'], 'req-1');
  assert.deepEqual(lines.slice(1).map((l) => l['job_id']), ['message:42', 'message:42']);
  assert.equal(lines[2]!['password'], '[redacted]');
});

test('LOG_LEVEL defaults to info; a level pino does not offer here stops the start, named', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-log-level-'));
  try {
    assert.equal(loadConfig({ DATA_DIR: dataDir }).logLevel, 'info');
    assert.equal(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' }).logLevel, 'debug');
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'verbose' }), /LOG_LEVEL/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
