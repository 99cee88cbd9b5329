// A real SMTP server on 127.0.0.1 for tests: point SMTP_URL (or createEmailChannel) at `url` and
// read what arrived, parsed by mailparser, from `messages`.
//
//   const smtp = await startSmtpServer();
//   … send through smtp.url …
//   const [mail] = await smtp.waitForMessages(1);
//   mail.subject, mail.text, mail.html, mail.to.text
//   smtp.failNext(451);          // the next DATA is refused with 451 (transient), then it recovers
//   smtp.failNext(550, 2);       // the next two DATA are refused with 550 (permanent)
//   smtp.failNext(550, 1, 'rcpt'); // refuse the next recipient instead of the data
//   smtp.raw[0]                    // the message exactly as received, for DKIM checks
//   smtp.mostConnections           // the most SMTP connections open at once so far
//   smtp.arrivals                  // when each message arrived (Date.now()), for rate checks
//   await smtp.close();
//
// With `delayMs`, the server takes that long to accept each message, as a real relay does.
//
// Plain SMTP only (no STARTTLS, as on loopback). Authentication is optional; with the `auth`
// option the server requires exactly those credentials and answers 535 to anything else.
// A message is in `messages` before the server answers 250, so it is there once sendMail resolves.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpTestServerOptions {
  /** Require these credentials (the url then carries them). */
  auth?: { user: string; pass: string };
  /** How long the server takes to accept each message. */
  delayMs?: number;
}

export type SmtpFailureStage = 'data' | 'rcpt';

export interface SmtpTestServer {
  /** smtp://127.0.0.1:<port>, with user:pass@ when the auth option is set. */
  url: string;
  messages: ParsedMail[];
  /** The same messages, byte for byte as they arrived. */
  raw: Buffer[];
  /** When each message was accepted (Date.now()), in the order they arrived. */
  arrivals: number[];
  /** The most connections that were open at the same time. */
  readonly mostConnections: number;
  /** Refuse the next `times` (default 1) DATA commands (or recipients) with `code`. */
  failNext(code: number, times?: number, stage?: SmtpFailureStage): void;
  /** Resolves once at least `n` messages arrived; rejects after `timeoutMs` (default 5 s). */
  waitForMessages(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

interface PendingFailure {
  code: number;
  remaining: number;
  stage: SmtpFailureStage;
}

function smtpError(code: number): SMTPServerError {
  const err: SMTPServerError = new Error(code >= 500 ? 'Refused by the test server' : 'Try again later (test server)');
  err.responseCode = code;
  return err;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSmtpServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const messages: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const arrivals: number[] = [];
  const failures: PendingFailure[] = [];
  let openConnections = 0;
  let mostConnections = 0;
  const waiters = new Set<() => void>();

  function takeFailure(stage: SmtpFailureStage): SMTPServerError | undefined {
    const failure = failures.find((f) => f.stage === stage);
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) failures.splice(failures.indexOf(failure), 1);
    return smtpError(failure.code);
  }

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      openConnections += 1;
      mostConnections = Math.max(mostConnections, openConnections);
      callback();
    },
    onClose() {
      openConnections -= 1;
    },
    onAuth(auth, _session, callback) {
      const wanted = options.auth;
      if (wanted && (auth.username !== wanted.user || auth.password !== wanted.pass)) {
        const err: SMTPServerError = new Error('Invalid username or password');
        err.responseCode = 535;
        callback(err);
        return;
      }
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, session, callback) {
      if (options.auth && !session.user) {
        const err: SMTPServerError = new Error('Authentication required');
        err.responseCode = 530;
        callback(err);
        return;
      }
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback(takeFailure('rcpt'));
    },
    onData(stream, _session, callback) {
      readAll(stream)
        .then(async (bytes) => {
          // Read the whole message first: smtp-server expects the stream drained before the reply.
          const failure = takeFailure('data');
          if (failure) return callback(failure);
          if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          arrivals.push(Date.now());
          raw.push(bytes);
          messages.push(await simpleParser(bytes));
          for (const wake of waiters) wake();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client's socket error reaches the server as an 'error' event; a test server must outlive it.
  server.on('error', () => {});
  const { port } = server.server.address() as AddressInfo;
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : '';

  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    raw,
    arrivals,
    get mostConnections() {
      return mostConnections;
    },
    failNext(code, times = 1, stage = 'data') {
      failures.push({ code, remaining: times, stage });
    },
    waitForMessages(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
