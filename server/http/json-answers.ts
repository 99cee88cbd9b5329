// Every JSON answer is data for a program, never a page: no sniffing it into HTML, and no cache (a
// shared proxy or the browser) keeps a copy of a case or a user.
import type { RequestHandler } from 'express';

export const jsonAnswerHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  next();
};
