// createApp(deps): the Express wiring. Each capability brings its own router; this file decides the
// order, the security headers, and which error handler answers under which prefix.
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import { fileURLToPath } from 'node:url';
import type { BelvoClient } from './belvo/belvo-types.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { jsonErrorHandler } from './http/api-errors.ts';
import type { Logger } from './logger.ts';
import { createOperatorRouter } from './operator/operator-routes.ts';
import type { LinkSigner } from './portal/signed-link.ts';
import { createWebhookRouter } from './webhooks/webhook-routes.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../views/', import.meta.url));
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

export interface AppDeps {
  config: Config;
  db: Knex;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
  signer: LinkSigner;
  /** Tells the worker in this process that an event was recorded. */
  wakeWorker: () => void;
  /** The Belvo simulator's router, mounted at /sandbox/belvo in demo mode only. */
  belvoSimulator?: Router;
}

function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
}

async function ready(db: Knex): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await ready(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unavailable' });
  });

  app.use(
    '/webhooks',
    createWebhookRouter({
      db: deps.db,
      clock: deps.clock,
      webhookAuth: deps.config.belvo.webhookAuth,
      onRecorded: deps.wakeWorker,
      limitUnauthenticated: (_req, _res, next) => next(),
    }),
  );
  app.use('/api', createOperatorRouter({ db: deps.db, clock: deps.clock, apiKey: deps.config.operatorApiKey }));
  app.use(['/api', '/webhooks'], (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route' } });
  });
  app.use(['/api', '/webhooks'], jsonErrorHandler(deps.logger));

  app.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  if (deps.belvoSimulator && !deps.config.production) app.use('/sandbox/belvo', deps.belvoSimulator);

  return app;
}
