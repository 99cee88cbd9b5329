// One error type for everything the HTTP layer may answer with. Unknown errors become a generic 500.
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra, safe-to-show fields (the bad field's name, say). Never a secret. */
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Missing or invalid credentials') => new AppError(401, 'unauthorized', message);
export const notFound = (message = 'Not found') => new AppError(404, 'not_found', message);
