// GET /healthz (the process answers) and GET /readyz (it can do its work: the database answers and,
// where this process runs one, the worker thread is alive), for load balancers and orchestrators.
// Both answer from the web thread's own connection, whatever the worker is doing.
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { jsonAnswerHeaders } from './json-answers.ts';

/** A database that has not answered by then is as good as down, for a load balancer. */
const READY_TIMEOUT_MS = 2_000;

async function databaseAnswers(db: Knex): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  const query = db.raw('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthRouter(deps: { db: Knex; workerRunning?: () => boolean }): Router {
  const router = express.Router();
  router.use(['/healthz', '/readyz'], jsonAnswerHeaders);
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!(await databaseAnswers(deps.db))) {
      res.status(503).json({ status: 'database unavailable' });
      return;
    }
    if (deps.workerRunning && !deps.workerRunning()) {
      res.status(503).json({ status: 'worker not running' });
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}
