// The simulator's payments webhooks endpoint: it keeps what was registered (tests read it back) and
// answers as Belvo does, with the token masked. The latest registration's token is what the demo's
// /dev console then sends as Authorization.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RegisteredPaymentsWebhook } from '../belvo/belvo-types.ts';

export const MASKED_TOKEN = '*******';

const registrationSchema = z.object({
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }),
  auth_header: z.literal('Authorization'),
  auth_token: z.string().regex(/^(Bearer|Basic) \S+$/, 'Must be "Bearer <token>" or "Basic <base64>".'),
});

export type WebhookRegistrationResult =
  | { ok: true; answer: RegisteredPaymentsWebhook }
  | { ok: false; error: { status: 400; code: 'required' | 'invalid'; message: string; field: string } };

export interface WebhookRegistry {
  register(body: unknown): WebhookRegistrationResult;
  /** Every registration as stored, token included. */
  list(): RegisteredPaymentsWebhook[];
  /** The Authorization value of the latest registration. */
  latestAuth(): string | undefined;
}

export function createWebhookRegistry(now: () => number, createdBy: string = randomUUID()): WebhookRegistry {
  const registrations: RegisteredPaymentsWebhook[] = [];
  return {
    register(body) {
      const parsed = registrationSchema.safeParse(body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? 'body');
        const missing = typeof body !== 'object' || body === null || !(field in body);
        return {
          ok: false,
          error: missing
            ? { status: 400, code: 'required', message: 'This field is required.', field }
            : { status: 400, code: 'invalid', message: issue.message, field },
        };
      }
      const stored: RegisteredPaymentsWebhook = {
        id: randomUUID(),
        ...parsed.data,
        created_at: new Date(now()).toISOString(),
        created_by: createdBy,
      };
      registrations.push(stored);
      return { ok: true, answer: { ...stored, auth_token: MASKED_TOKEN } };
    },
    list: () => registrations.map((r) => ({ ...r })),
    latestAuth: () => registrations.at(-1)?.auth_token,
  };
}
