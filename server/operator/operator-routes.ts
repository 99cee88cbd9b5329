// The operator's API under /api: register and erase users, register links, read cases, resend and close them. The
// Bearer key is checked in front of it (app.ts), where failed attempts are counted. Resend and close
// are the same services the console calls (server/case-actions/).
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { API_KEY_ACTOR } from '../case-actions/case-actor.ts';
import { closeCase } from '../case-actions/close-case.ts';
import { resendCase } from '../case-actions/resend-case.ts';
import { findCase, listCases, listCasesOfUser, listTimeline } from '../cases/case-repository.ts';
import type { CaseRecord } from '../cases/case-types.ts';
import { presentCase } from '../cases/case-view.ts';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { findAccountList, findLinkData, latestAccountFetch } from '../link-data/link-data-repository.ts';
import type { Clock } from '../clock.ts';
import { badRequest, notFound } from '../errors.ts';
import { parse } from '../http/request-input.ts';
import type { Logger } from '../logger.ts';
import { casesWithHeldMessages } from '../outbox/outbox-repository.ts';
import { listPaymentsForObject } from '../payments/payment-repository.ts';
import { eraseUser } from '../privacy/erase-user.ts';
import { findLink, findUserByExternalId, upsertLink, upsertUser, type UserRecord } from '../users/user-repository.ts';
import { presentLink, presentPayment } from './activity-presenter.ts';
import { presentTimeline } from './case-presenter.ts';
import {
  caseIdParam,
  caseListQuery,
  closeBody,
  externalIdParam,
  linkBody,
  linkIdParam,
  objectIdParam,
  resendBody,
  userBody,
} from './operator-schemas.ts';

export interface OperatorRouteDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** CHANNEL_ORDER and the channels this deployment has set up, for resends. */
  channelPolicy: ChannelPolicy;
  /** Tells the worker in this process that a message was queued, so a resend goes now. */
  onQueued?: () => void;
}

function presentUser(user: UserRecord) {
  return {
    external_id: user.externalId,
    email: user.email,
    phone: user.phone,
    locale: user.locale,
    name: user.name,
    channels: user.channels,
    time_zone: user.timeZone,
    document: user.document,
  };
}

/** A channel the user prefers must have its contact, or the first message would fail for nothing. */
function checkChannelsHaveContacts(user: UserRecord): void {
  for (const channel of user.channels ?? []) {
    const contact = channel === 'email' ? user.email : user.phone;
    if (!contact) {
      throw badRequest('validation_error', `channels: lists "${channel}" but the user has no ${channel === 'email' ? 'email' : 'phone'}`, {
        field: 'channels',
      });
    }
  }
}

/** Cases as the API shows them, `held` saying whether the storm guard holds a message of theirs. */
async function presentCases(db: Knex, cases: CaseRecord[]) {
  const held = await casesWithHeldMessages(
    db,
    cases.map((c) => c.id),
  );
  return cases.map((c) => ({ ...presentCase(c), held: held.has(c.id) }));
}

async function presentOneCase(db: Knex, theCase: CaseRecord) {
  const [presented] = await presentCases(db, [theCase]);
  return { ...presented!, timeline: presentTimeline(await listTimeline(db, theCase.id)) };
}

export function createOperatorRouter(deps: OperatorRouteDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.put('/users/:externalId', async (req, res) => {
    const externalId = parse(externalIdParam, req.params['externalId'], 'externalId');
    const body = parse(userBody, req.body ?? {}, 'body');
    const result = await deps.db.transaction(async (trx) => {
      const existing = await findUserByExternalId(trx, externalId);
      const merged = { ...existing, ...body } as UserRecord;
      checkChannelsHaveContacts(merged);
      const { time_zone: timeZone, ...rest } = body;
      return upsertUser(trx, externalId, { ...rest, timeZone }, deps.clock.now());
    });
    res.status(result.created ? 201 : 200).json({ user: presentUser(result.user) });
  });

  router.get('/users/:externalId', async (req, res) => {
    const externalId = parse(externalIdParam, req.params['externalId'], 'externalId');
    const user = await findUserByExternalId(deps.db, externalId);
    if (!user) throw notFound(`No user ${externalId}`);
    const cases = await listCasesOfUser(deps.db, user);
    res.json({ user: presentUser(user), cases: await presentCases(deps.db, cases) });
  });

  router.delete('/users/:externalId', async (req, res) => {
    const externalId = parse(externalIdParam, req.params['externalId'], 'externalId');
    await eraseUser(deps, externalId, deps.clock.now());
    res.status(204).end();
  });

  router.put('/links/:linkId', async (req, res) => {
    const linkId = parse(linkIdParam, req.params['linkId'], 'linkId');
    const body = parse(linkBody, req.body ?? {}, 'body');
    const result = await upsertLink(
      deps.db,
      {
        linkId,
        externalId: body.external_id,
        institution: body.institution ?? null,
        institutionDisplayName: body.institution_display_name ?? null,
      },
      deps.clock.now(),
    );
    res.status(result.created ? 201 : 200).json({
      link: {
        link_id: result.link.linkId,
        external_id: result.link.externalId,
        institution: result.link.institution,
        institution_display_name: result.link.institutionDisplayName,
      },
    });
  });

  router.get('/links/:linkId', async (req, res) => {
    const linkId = parse(linkIdParam, req.params['linkId'], 'linkId');
    const [link, data, accountList, fetch] = await Promise.all([
      findLink(deps.db, linkId),
      findLinkData(deps.db, linkId),
      findAccountList(deps.db, linkId),
      latestAccountFetch(deps.db, linkId),
    ]);
    if (!link && data.length === 0) throw notFound(`No link ${linkId}: neither registered nor named by a data webhook`);
    res.json({ link: presentLink(linkId, link, { data, accountList, fetch }) });
  });

  router.get('/payments/:objectId', async (req, res) => {
    const objectId = parse(objectIdParam, req.params['objectId'], 'objectId');
    const payments = await listPaymentsForObject(deps.db, objectId);
    if (payments.length === 0) throw notFound(`No payments webhook has named ${objectId}`);
    res.json({ object_id: objectId, payments: payments.map(presentPayment) });
  });

  router.get('/cases', async (req, res) => {
    const query = parse(caseListQuery, req.query, 'query');
    const cases = await listCases(deps.db, {
      limit: query.limit,
      ...(query.link_id ? { linkId: query.link_id } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.institution ? { institution: query.institution } : {}),
      ...(query.external_id ? { externalId: query.external_id } : {}),
      ...(query.created_from !== undefined ? { createdFrom: query.created_from } : {}),
      ...(query.created_to !== undefined ? { createdTo: query.created_to } : {}),
      ...(query.before ? { before: query.before } : {}),
    });
    const last = cases.at(-1);
    res.json({
      cases: await presentCases(deps.db, cases),
      next_before: cases.length === query.limit && last ? last.id : null,
    });
  });

  router.get('/cases/:id', async (req, res) => {
    const id = parse(caseIdParam, req.params['id'], 'id');
    const found = await findCase(deps.db, id);
    if (!found) throw notFound(`No case ${id}`);
    res.json(await presentOneCase(deps.db, found));
  });

  router.post('/cases/:id/resend', async (req, res) => {
    const id = parse(caseIdParam, req.params['id'], 'id');
    const body = parse(resendBody, req.body ?? {}, 'body');
    const result = await resendCase(deps, id, { actor: API_KEY_ACTOR, channel: body.channel }, deps.clock.now());
    deps.onQueued?.();
    res.status(202).json({
      message: { id: result.messageId, channel: result.channel, template: 'remediation', state: 'queued' },
      case: (await presentCases(deps.db, [result.theCase]))[0],
    });
  });

  router.post('/cases/:id/close', async (req, res) => {
    const id = parse(caseIdParam, req.params['id'], 'id');
    const body = parse(closeBody, req.body ?? {}, 'body');
    const { theCase } = await closeCase(deps.db, id, { actor: API_KEY_ACTOR, reason: body.reason }, deps.clock.now());
    res.json(await presentOneCase(deps.db, theCase));
  });

  return router;
}
