// The MFA challenge as Belvo describes it, in 428 answers and token_required webhooks alike. Belvo's
// docs show `expiry` both as a number and as a numeric string, and the flag both as
// `expects_user_input` and `expect_user_input`; each spelling is accepted and one shape comes out.
// Any field may be null (REAL-API.md: `token_generation_data: null`, or a null `value`): a null one
// is left out, so the page simply asks for the token without the bank's hint.
import { z } from 'zod';
import type { TokenGenerationData } from './belvo-types.ts';

export const expirySecondsSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+$/, 'must be a number of seconds').transform(Number),
]);

/** A hint the page can do without: a value of the wrong type is dropped rather than refused. */
const hint = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);

export const tokenGenerationDataSchema = z
  .looseObject({
    instructions: hint(z.string().max(2000)),
    type: hint(z.string().max(50)),
    value: hint(z.string().max(4000)),
    expects_user_input: hint(z.boolean()),
    expect_user_input: hint(z.boolean()),
  })
  .transform((data): TokenGenerationData => {
    const expectsUserInput = data.expects_user_input ?? data.expect_user_input;
    return {
      ...(typeof data.instructions === 'string' ? { instructions: data.instructions } : {}),
      ...(typeof data.type === 'string' ? { type: data.type } : {}),
      ...(typeof data.value === 'string' ? { value: data.value } : {}),
      ...(typeof expectsUserInput === 'boolean' ? { expects_user_input: expectsUserInput } : {}),
    };
  });
