// Errors under /api and /webhooks answer JSON: { "error": { "code", "message", … } }. Anything that is
// not an AppError is a bug or an outage: logged with its cause, answered as a generic 500.
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { requestLogger } from './request-id.ts';

interface BodyParserError {
  type?: string;
  status?: number;
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const type = (err as BodyParserError | null)?.type;
  if (type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'The body is not valid JSON');
  if (type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'The body is larger than allowed');
  if (type === 'entity.too.deep') return new AppError(400, 'too_deep', 'The body nests objects and arrays too deeply');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_encoding', 'Send the body as UTF-8 JSON');
  }
  return undefined;
}

export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAppError(err);
    if (!known) requestLogger(logger, req).error('request failed', { method: req.method, path: req.path, err });
    const error = known ?? new AppError(500, 'internal_error', 'Something went wrong on our side');
    res.status(error.status).json({ error: { code: error.code, message: error.message, ...error.details } });
  };
}
