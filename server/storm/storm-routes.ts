// The operator API's storms: GET /api/storms lists the institutions held, with how many messages and
// cases; POST /api/storms/:institution/release releases one (404 when it is not held). Behind the
// operator's Bearer key (app.ts), like the rest of /api.
import express, { type Router } from 'express';
import { z } from 'zod';
import { API_KEY_ACTOR } from '../case-actions/case-actor.ts';
import type { Clock } from '../clock.ts';
import { badRequest, notFound } from '../errors.ts';
import { listHeldInstitutions, releaseInstitution, type ReleaseDeps } from './storm-release.ts';

export interface StormRouteDeps extends ReleaseDeps {
  clock: Clock;
  /** Tells the worker in this process that messages were queued, so a release goes now. */
  onQueued?: () => void;
}

/** A Belvo institution code as the `storms` table keys it. */
export const institutionParam = z.string().trim().min(1).max(120);

const iso = (ms: number) => new Date(ms).toISOString();

export function createStormRouter(deps: StormRouteDeps): Router {
  const router = express.Router();

  router.get('/storms', async (_req, res) => {
    const held = await listHeldInstitutions(deps.db);
    res.json({
      storms: held.map((h) => ({
        institution: h.institution,
        reason: h.reason,
        detected_at: iso(h.detectedAt),
        cases_counted: h.counted,
        held_cases: h.heldCases,
        held_messages: h.heldMessages,
      })),
    });
  });

  router.post('/storms/:institution/release', async (req, res) => {
    const institution = institutionParam.safeParse(req.params['institution']);
    if (!institution.success) throw badRequest('validation_error', 'institution: must be an institution code', { field: 'institution' });
    const now = deps.clock.now();
    const release = await releaseInstitution(deps, institution.data, API_KEY_ACTOR, now);
    if (!release) throw notFound(`The storm guard does not hold ${institution.data}`);
    deps.onQueued?.();
    res.json({
      storm: {
        institution: release.institution,
        reason: release.reason,
        state: 'released',
        released_at: iso(now),
        released_messages: release.messages,
        released_cases: release.cases,
      },
    });
  });

  return router;
}
