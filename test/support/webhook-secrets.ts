// Standard Webhooks secrets for tests: whsec_ and 24 random bytes in base64, as an operator makes them.
import { randomBytes } from 'node:crypto';

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
