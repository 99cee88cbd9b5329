// What a JSON API request brings (params, query, body), checked by a zod schema: the first problem
// answers 400 and names its field, so a bad request is fixed in one go.
import type { z } from 'zod';
import { badRequest } from '../errors.ts';

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : where;
  throw badRequest('validation_error', `${field}: ${issue.message}`, { field });
}
