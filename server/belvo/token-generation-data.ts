// The MFA challenge as Belvo describes it, in 428 answers and token_required webhooks alike. Belvo's
// docs show `expiry` both as a number and as a numeric string, and the flag both as
// `expects_user_input` and `expect_user_input`; each spelling is accepted and one shape comes out.
import { z } from 'zod';
import type { TokenGenerationData } from './belvo-types.ts';

export const expirySecondsSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+$/, 'must be a number of seconds').transform(Number),
]);

export const tokenGenerationDataSchema = z
  .looseObject({
    instructions: z.string().optional(),
    type: z.string().optional(),
    value: z.string().optional(),
    expects_user_input: z.boolean().optional(),
    expect_user_input: z.boolean().optional(),
  })
  .transform((data): TokenGenerationData => {
    const expectsUserInput = data.expects_user_input ?? data.expect_user_input;
    return {
      ...(data.instructions !== undefined ? { instructions: data.instructions } : {}),
      ...(data.type !== undefined ? { type: data.type } : {}),
      ...(data.value !== undefined ? { value: data.value } : {}),
      ...(expectsUserInput !== undefined ? { expects_user_input: expectsUserInput } : {}),
    };
  });
