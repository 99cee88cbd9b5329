// The calls the operator's backend and Belvo make, as one-liners for tests.
import request from 'supertest';
import type { Express } from 'express';
import { API_KEY, WEBHOOK_AUTH } from './test-app.ts';

export function putUser(app: Express, externalId: string, body: Record<string, unknown>) {
  return request(app).put(`/api/users/${encodeURIComponent(externalId)}`).set('Authorization', `Bearer ${API_KEY}`).send(body);
}

export function putLink(app: Express, linkId: string, body: Record<string, unknown>) {
  return request(app).put(`/api/links/${encodeURIComponent(linkId)}`).set('Authorization', `Bearer ${API_KEY}`).send(body);
}

export function getApi(app: Express, path: string) {
  return request(app).get(`/api${path}`).set('Authorization', `Bearer ${API_KEY}`);
}

export function postWebhook(app: Express, body: unknown) {
  return request(app).post('/webhooks/belvo').set('Authorization', WEBHOOK_AUTH).send(body as object);
}
