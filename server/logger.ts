// Structured logs: pino, one JSON object per line on stdout. Secrets are kept out by construction:
// every key that could carry a bank password, an MFA token, a credential or a session is censored by
// pino's `redact` at any depth a log line reaches (REDACT_DEPTH), and no code logs a request body or
// a raw URL (a portal link holds a signed token). Callers keep one small interface (message first,
// then fields); `child` binds fields, such as a request id or a job id, to every line it writes.
import { hostname } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoLogger } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every line also carries `bindings`. */
  child(bindings: LogFields): Logger;
  /** Whether lines of `level` are written: to skip work done only for them. */
  isLevelEnabled(level: LogLevel): boolean;
}

/**
 * Keys whose value is never written, wherever they sit: form fields (password, password2, token,
 * _csrf), Belvo's (access, refresh, session, secret_password), HTTP headers (authorization, cookie,
 * set-cookie) and the session itself (sess, session).
 */
const SECRET_KEYS = [
  'password',
  'password2',
  'token',
  'access',
  'access_token',
  'refresh',
  'refresh_token',
  'authorization',
  'cookie',
  'set-cookie',
  'secret',
  'secrets',
  'secret_password',
  'secretPassword',
  'auth_token',
  'api_key',
  '_csrf',
  'session',
  'sess',
];
/** Fields nest a few levels at most (an error's cause, Belvo's error items); each level costs a path per key. */
const REDACT_DEPTH = 5;

/** `key`, `*.key`, `*.*.key`, … down to REDACT_DEPTH levels; keys that are not identifiers in brackets. */
export function redactPaths(keys: readonly string[] = SECRET_KEYS, depth = REDACT_DEPTH): string[] {
  return keys.flatMap((key) => {
    const plain = /^[A-Za-z_$][\w$]*$/.test(key);
    return Array.from({ length: depth }, (_, level) => {
      const prefix = '*.'.repeat(level);
      if (plain) return prefix + key;
      return level === 0 ? `["${key}"]` : `${prefix.slice(0, -1)}["${key}"]`;
    });
  });
}

const PATHS = redactPaths();

function wrap(log: PinoLogger): Logger {
  return {
    debug: (msg, fields) => (fields ? log.debug(fields, msg) : log.debug(msg)),
    info: (msg, fields) => (fields ? log.info(fields, msg) : log.info(msg)),
    warn: (msg, fields) => (fields ? log.warn(fields, msg) : log.warn(msg)),
    error: (msg, fields) => (fields ? log.error(fields, msg) : log.error(msg)),
    child: (bindings) => wrap(log.child(bindings)),
    isLevelEnabled: (level) => log.isLevelEnabled(level),
  };
}

/**
 * Where lines go: `write` (tests collect them), else stdout. The web thread writes asynchronously
 * (pino flushes at exit); the worker thread writes each line as it comes, since a thread that exits
 * takes its buffer with it.
 */
function destination(write: ((line: string) => void) | undefined): DestinationStream {
  if (write) return { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  return pino.destination({ dest: 1, sync: !isMainThread });
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; bindings?: LogFields } = {}): Logger {
  const log = pino(
    {
      level: options.level ?? 'info',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: PATHS, censor: '[redacted]' },
      base: { pid: process.pid, hostname: hostname(), ...options.bindings },
    },
    destination(options.write),
  );
  return wrap(log);
}

export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });

/**
 * `logger` for one background job (an event, a message, an account fetch, a reminder): every line
 * carries `job_id`, `<job>:<row id>`, the same on each attempt. The child is made when first used.
 */
export function jobLogger(logger: Logger, job: string, id: number): Logger {
  let bound: Logger | undefined;
  const get = () => (bound ??= logger.child({ job_id: `${job}:${id}` }));
  return {
    debug: (msg, fields) => get().debug(msg, fields),
    info: (msg, fields) => get().info(msg, fields),
    warn: (msg, fields) => get().warn(msg, fields),
    error: (msg, fields) => get().error(msg, fields),
    child: (bindings) => get().child(bindings),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
  };
}
