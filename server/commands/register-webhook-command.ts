// `npm run belvo -- register-webhook --url URL`: registers URL as a Belvo payments webhook with a fresh
// Bearer token, through POST /payments/webhooks/ of an older payments guide (Belvo's current pages
// set webhooks up in the dashboard; see README "Registering the payments webhook"). stdout carries only the BELVO_WEBHOOK_AUTH value to set, so it can be captured
// (`export BELVO_WEBHOOK_AUTH="$(npm run -s belvo -- register-webhook --url …)"`); everything meant
// for a person, Belvo's answer included, goes to stderr.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { createBelvoClient } from '../belvo/belvo-client.ts';
import { BelvoApiError, BelvoTransportError } from '../belvo/belvo-types.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliDeps {
  env: NodeJS.ProcessEnv;
  io: CliIo;
  /** The Belvo call's timeout; the client's default (10 s) unless a test shortens it. */
  timeoutMs?: number;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: npm run -s belvo -- register-webhook --url <https URL> [--name <name>]

Registers the URL as a Belvo payments webhook with a freshly generated Bearer token and prints the
BELVO_WEBHOOK_AUTH value to set on stdout. Belvo's answer is shown on stderr. Uses
BELVO_PAYMENTS_SECRET_ID and BELVO_PAYMENTS_SECRET_PASSWORD when set, else the secret keys.
Belvo's documented way is its dashboard; this endpoint comes from an older payments guide.
The URL must be https (http is accepted only for 127.0.0.1 or localhost, e.g. the demo).
`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** 32 random bytes: 256 bits, far beyond guessing, and what Belvo sends back as `Bearer <token>`. */
export function generateWebhookAuth(): string {
  return `Bearer ${randomBytes(32).toString('base64url')}`;
}

/** The reason the URL cannot receive Belvo's webhooks, or undefined when it can. */
export function webhookUrlProblem(value: string | undefined): string | undefined {
  if (!value) return '--url is required';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `--url is not a URL: ${value}`;
  }
  if (url.username || url.password) return '--url must not carry a user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return '--url must be https (http only for 127.0.0.1 or localhost)';
}

function describeFailure(err: unknown, apiUrl: string, timeoutMs: number): string {
  if (err instanceof BelvoApiError) {
    const details = err.errors
      .map((e) => `${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}${e.request_id ? ` [request ${e.request_id}]` : ''}`)
      .join('; ');
    return `Belvo refused the registration with HTTP ${err.status}: ${details}`;
  }
  if (err instanceof BelvoTransportError) {
    if (err.reason === 'timeout') return `Belvo at ${apiUrl} did not answer within ${timeoutMs / 1000} s`;
    if (err.reason === 'network') return `Could not reach Belvo at ${apiUrl}: ${err.message}`;
    return `Belvo at ${apiUrl} gave an answer that could not be read: ${err.message}`;
  }
  throw err;
}

function parseCommand(argv: string[]): { url: string; name: string } | { usage: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return { usage: err instanceof Error ? err.message : String(err) };
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help) return { usage: '' };
  if (command !== 'register-webhook' || extra.length > 0) {
    return { usage: command ? `unknown command: ${[command, ...extra].join(' ')}` : 'a command is required' };
  }
  const problem = webhookUrlProblem(parsed.values.url);
  if (problem) return { usage: problem };
  return { url: parsed.values.url!, name: parsed.values.name?.trim() || 'Relink' };
}

export async function runBelvoCli(argv: string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  const command = parseCommand(argv);
  if ('usage' in command) {
    io.stderr(`${command.usage ? `${command.usage}\n\n` : ''}${USAGE}`);
    return command.usage ? EXIT_USAGE : EXIT_OK;
  }
  const authToken = generateWebhookAuth();
  let config;
  try {
    // In production the server requires BELVO_WEBHOOK_AUTH, which is what this command creates.
    config = loadConfig({ ...deps.env, BELVO_WEBHOOK_AUTH: deps.env['BELVO_WEBHOOK_AUTH'] || authToken });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.message}\n`);
    return EXIT_FAILED;
  }
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const { apiUrl, payments, simulator } = config.belvo;
  // Payments have API keys of their own at Belvo (BELVO_PAYMENTS_SECRET_*); the secret keys otherwise.
  const belvo = createBelvoClient({ apiUrl, secretId: payments.secretId, secretPassword: payments.secretPassword, timeoutMs });
  io.stderr(`Registering ${command.url} with ${simulator ? "the demo's Belvo simulator" : 'Belvo'} at ${apiUrl} …\n`);
  try {
    const answer = await belvo.registerPaymentsWebhook({ name: command.name, url: command.url, authToken });
    io.stderr(`Belvo's answer:\n${JSON.stringify(answer, null, 2)}\n\n`);
    io.stderr('Set BELVO_WEBHOOK_AUTH to the value printed on stdout and restart Relink.\n');
    io.stdout(`${authToken}\n`);
    return EXIT_OK;
  } catch (err) {
    io.stderr(`${describeFailure(err, apiUrl, timeoutMs)}\n`);
    return EXIT_FAILED;
  }
}
