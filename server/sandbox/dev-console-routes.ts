// The /dev console (demo only, never mounted in production): fires any of Belvo's documented
// webhooks at this same server's POST /webhooks/belvo over real HTTP, as Belvo would, and shows
// the answer. Mounted at the app root; the app provides res.locals.csrfToken and checks it.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { BelvoSimulator } from './belvo-simulator.ts';
import {
  SEED_WEBHOOKS,
  SEED_WEBHOOK_NAMES,
  freshSeedWebhook,
  isSeedWebhookName,
  seedWebhookFamily,
  seedWebhookLabel,
  type SeedFamily,
  type SeedWebhookName,
} from './seed-webhooks.ts';

export interface DevConsoleOptions {
  /** BELVO_WEBHOOK_AUTH: sent as the Authorization header, as Belvo sends it. */
  webhookAuth: string | undefined;
  /** The Authorization registered with the demo's simulator (npm run belvo -- register-webhook): it wins when set. */
  registeredWebhookAuth?: () => string | undefined;
  logger: Logger;
  /** When the demo runs the simulator, a fired token_required gets a session it will accept. */
  belvoSimulator?: Pick<BelvoSimulator, 'openMfaSession'>;
  /** Belvo gives up after 5 s; so does the console. */
  timeoutMs?: number;
}

interface FireResult {
  seed: SeedWebhookName;
  status: number | undefined;
  responseBody: string;
  sentPayload: string;
  error: string | undefined;
}

const MAX_SHOWN_BODY = 4096;

const fireFormSchema = z.object({
  seed: z.string().refine(isSeedWebhookName, 'unknown seed webhook'),
  link_id: z.string().trim().min(1, 'link_id is required').max(100),
  external_id: z.string().trim().max(200).default(''),
});

const FAMILY_TITLES: Record<SeedFamily, string> = {
  link: 'Link (aggregation, link_id): opens or changes a case',
  consent: 'Consent (aggregation, link_id): Brazil Open Finance',
  data: 'Data (aggregation, link_id): recorded on the link; historical_update and new_*_available close credentials and MFA cases',
  payments: 'Payments (object_id): recorded on the payment object',
};

/** The seeds under their family's heading, in the order Belvo's pages list them. */
function seedFamilies() {
  return (Object.keys(FAMILY_TITLES) as SeedFamily[]).map((family) => ({
    family,
    title: FAMILY_TITLES[family],
    seeds: SEED_WEBHOOK_NAMES.filter((name) => seedWebhookFamily(name) === family).map((name) => ({ name, label: seedWebhookLabel(name) })),
  }));
}

/** JSON answers pretty-printed; anything else as it came, cut to a readable size. */
function readable(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2).slice(0, MAX_SHOWN_BODY);
  } catch {
    return text.slice(0, MAX_SHOWN_BODY);
  }
}

export function createDevConsoleRouter(options: DevConsoleOptions): express.Router {
  const timeoutMs = options.timeoutMs ?? 5000;
  const families = seedFamilies();
  const webhookAuth = () => options.registeredWebhookAuth?.() ?? options.webhookAuth;

  function renderConsole(
    res: Response,
    status: number,
    view: { linkId: string; externalId: string; result?: FireResult; formError?: string },
  ): void {
    res.set('Cache-Control', 'no-store');
    res.status(status).render('dev/console', {
      families,
      webhookAuthSet: webhookAuth() !== undefined,
      result: undefined,
      formError: undefined,
      ...view,
    });
  }

  async function fire(req: Request, seed: SeedWebhookName, linkId: string, externalId: string): Promise<FireResult> {
    const payload = freshSeedWebhook(seed, {
      linkId,
      ...(externalId ? { externalId } : {}),
      ...(SEED_WEBHOOKS[seed].webhook_code === 'token_required' && options.belvoSimulator
        ? { mfaSession: options.belvoSimulator.openMfaSession(linkId) }
        : {}),
    });
    const sentPayload = JSON.stringify(payload, null, 2);
    // This same server, over loopback: whatever address the browser used, the receiver is local.
    const url = `http://127.0.0.1:${req.socket.localPort}/webhooks/belvo`;
    const authorization = webhookAuth();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      options.logger.info('dev console fired a seed webhook', {
        seed,
        webhookId: payload.webhook_id,
        status: response.status,
      });
      return { seed, status: response.status, responseBody: readable(text), sentPayload, error: undefined };
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'request failed';
      options.logger.warn('dev console could not deliver a seed webhook', { seed, reason });
      return { seed, status: undefined, responseBody: '', sentPayload, error: reason };
    }
  }

  const router = express.Router();

  router.get('/dev', (_req, res) => {
    renderConsole(res, 200, { linkId: randomUUID(), externalId: 'your_external_id' });
  });

  router.post('/dev/fire', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const form = fireFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      const linkId = typeof req.body?.link_id === 'string' ? req.body.link_id : randomUUID();
      const externalId = typeof req.body?.external_id === 'string' ? req.body.external_id : 'your_external_id';
      const formError = form.error.issues.map((issue) => issue.message).join('; ');
      return renderConsole(res, 400, { linkId, externalId, formError });
    }
    const { seed, link_id: linkId, external_id: externalId } = form.data;
    const result = await fire(req, seed as SeedWebhookName, linkId, externalId);
    renderConsole(res, 200, { linkId, externalId, result });
  });

  return router;
}
