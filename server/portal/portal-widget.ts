// "Continue with Belvo": the way through Belvo's hosted Connect widget. Update mode renews the
// credentials or MFA of the case's own link; a consent whose accounts are gone connects again
// without a link id, and the new link's id is kept on the case for the operator to re-map.
//
// The callbacks are GETs because Belvo's widget sends the browser back with a redirect. `exit` and
// `event` only write what happened on the timeline and send the person back to the case page.
// `success` is the one GET that closes a case, and that is safe: it acts only for the browser
// session and one-time nonce that started the visit, and only after Belvo itself says, through
// GET /api/links/{id}/, that the link is `valid`. A forged redirect gets "we couldn't confirm".
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { BelvoClient, BelvoLink } from '../belvo/belvo-types.ts';
import { ACTIVE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import { addTimeline, transitionCase } from '../cases/case-repository.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Locale } from '../i18n/locale.ts';
import type { Logger } from '../logger.ts';
import { UNRECOVERABLE_CONSENT } from './consent-page.ts';
import { copyFor, type PortalCopy } from './portal-copy.ts';
import { noticePage, type Page, type PageMessage } from './page-model.ts';
import { markOpened, pageContext, type PortalCase } from './portal-context.ts';
import { forgetWidgetAttempt, startWidgetAttempt, takeWidgetAttempt, type WidgetMode } from './widget-session.ts';

export interface WidgetDeps {
  db: Knex;
  config: Config;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
}

/** What the case page says after a visit to the widget: `?widget=` on the case page's URL. */
export const WIDGET_RETURNS = ['exited', 'failed', 'notConfirmed', 'unavailable'] as const;
export type WidgetReturn = (typeof WIDGET_RETURNS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Belvo's words about an error end up on the timeline: short, and never more than a line. */
const text = z.string().transform((value) => value.trim().slice(0, 300));
const errorSchema = z.looseObject({ code: text.optional(), message: text.optional() });

/** Belvo's locales are two letters: `pt`, not `pt-BR`. */
const WIDGET_LOCALES: Record<Locale, string> = { es: 'es', 'pt-BR': 'pt', en: 'en' };

export function offersWidget(config: Config): boolean {
  return config.remediationPaths.includes('widget');
}

export function offersForm(config: Config): boolean {
  return config.remediationPaths.includes('form');
}

/** How the widget can help this case: update its link, connect a new one, or not at all. */
export function widgetModeOf(caseRecord: CaseRecord): WidgetMode | undefined {
  if (caseRecord.kind !== 'consent') return 'update';
  return caseRecord.details.consent?.webhookCode === UNRECOVERABLE_CONSENT ? 'reconnect' : undefined;
}

/** Adds the widget's button and hides our own form on a credentials or MFA page, as the operator chose. */
export function withRemediationPaths(page: Page, found: PortalCase, config: Config, csrfToken: string): Page {
  if (page.template !== 'portal/password' && page.template !== 'portal/mfa') return page;
  const copy = copyFor(found.locale, found.institution).widget;
  const form = offersForm(config);
  const widget = offersWidget(config)
    ? {
        intro: copy.intro,
        action: `/r/${found.token}/widget`,
        csrfToken,
        label: copy.button,
        ...(form ? { orForm: page.template === 'portal/mfa' ? copy.orToken : copy.orPassword } : {}),
      }
    : undefined;
  // A page that offers neither would leave the person stuck: the form stays.
  const offersFormHere = form || !widget;
  if (page.template === 'portal/password') return { ...page, view: { ...page.view, ...(widget ? { widget } : {}), offersForm: offersFormHere } };
  return { ...page, view: { ...page.view, ...(widget ? { widget } : {}), offersForm: offersFormHere } };
}

function returnMessage(copy: PortalCopy, which: WidgetReturn): PageMessage {
  return which === 'exited' ? { role: 'status', lines: copy.widget.exited } : { role: 'alert', lines: copy.widget[which] };
}

/** The case page with what the widget visit came to, unless the page already says something. */
export function withWidgetMessage(page: Page, found: PortalCase, which: WidgetReturn): Page {
  const message = returnMessage(copyFor(found.locale, found.institution), which);
  switch (page.template) {
    case 'portal/password':
      return { ...page, view: { ...page.view, message: page.view.message ?? message } };
    case 'portal/mfa':
      return { ...page, view: { ...page.view, message: page.view.message ?? message } };
    case 'portal/consent':
      return { ...page, view: { ...page.view, message: page.view.message ?? message } };
    default:
      return page;
  }
}

export function widgetReturnOf(query: unknown): WidgetReturn | undefined {
  const value = (query as Record<string, unknown> | undefined)?.['widget'];
  return WIDGET_RETURNS.find((r) => r === value);
}

function widgetUrl(config: Config, access: string, found: PortalCase, mode: WidgetMode): string {
  const url = new URL(config.belvo.widgetUrl);
  url.searchParams.set('access_token', access);
  url.searchParams.set('locale', WIDGET_LOCALES[found.locale]);
  url.searchParams.set('mode', 'webapp');
  // A new link carries the user's id, so that Belvo's link says whose it is.
  if (mode === 'reconnect' && found.caseRecord.externalId) url.searchParams.set('external_id', found.caseRecord.externalId);
  return url.toString();
}

const backTo = (found: PortalCase, which?: WidgetReturn) => `/r/${found.token}${which ? `?widget=${which}` : ''}`;

/** POST /r/:token/widget: a widget token from Belvo, then a 303 to the hosted widget. The token is never kept. */
export async function startWidget(deps: WidgetDeps, req: Request, res: Response, found: PortalCase): Promise<void> {
  const mode = widgetModeOf(found.caseRecord);
  if (!offersWidget(deps.config) || !mode) return res.redirect(303, backTo(found));
  const now = deps.clock.now();
  const nonce = startWidgetAttempt(req, found.caseRecord.id, mode, now);
  const callbackBase = `${deps.config.publicUrl}/r/${found.token}/widget/${nonce}`;
  let access: string;
  try {
    ({ access } = await deps.belvo.createWidgetToken({
      ...(mode === 'update' ? { linkId: found.caseRecord.linkId } : {}),
      callbackUrls: { success: `${callbackBase}/success`, exit: `${callbackBase}/exit`, event: `${callbackBase}/event` },
    }));
  } catch (err) {
    forgetWidgetAttempt(req);
    deps.logger.warn('could not get a widget token from Belvo', { case_id: found.caseRecord.id, err });
    return res.redirect(303, backTo(found, 'unavailable'));
  }
  await markOpened(deps.db, found.caseRecord, now, 'submission');
  await addTimeline(deps.db, found.caseRecord.id, 'widget_started', now, { mode });
  res.redirect(303, widgetUrl(deps.config, access, found, mode));
}

/** JSON in a query parameter (Belvo's exit callback), or nothing. */
function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** What Belvo said went wrong: `error_code`/`error_message` (event), or `last_encountered_error` (exit). */
function reportedError(query: Record<string, unknown>): { code?: string; message?: string } {
  const flat = errorSchema.safeParse({ code: query['error_code'], message: query['error_message'] });
  const nested = errorSchema.safeParse(jsonParam(query['last_encountered_error']) ?? {});
  const pick = (key: 'code' | 'message') => (flat.success ? flat.data[key] : undefined) ?? (nested.success ? nested.data[key] : undefined);
  const code = pick('code');
  const message = pick('message');
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/** GET /r/:token/widget/:nonce/exit and /event: the timeline, then back to the case page with a fitting message. */
export async function widgetReturned(
  deps: WidgetDeps,
  req: Request,
  res: Response,
  found: PortalCase,
  outcome: 'exit' | 'event',
): Promise<void> {
  const now = deps.clock.now();
  if (!takeWidgetAttempt(req, found.caseRecord.id, String(req.params['nonce']), now)) return res.redirect(303, backTo(found));
  const query = req.query as Record<string, unknown>;
  await addTimeline(deps.db, found.caseRecord.id, outcome === 'exit' ? 'widget_exit' : 'widget_error', now, reportedError(query));
  res.redirect(303, backTo(found, outcome === 'exit' ? 'exited' : 'failed'));
}

async function askBelvo(deps: WidgetDeps, linkId: string): Promise<BelvoLink | string> {
  try {
    return await deps.belvo.getLink(linkId);
  } catch (err) {
    deps.logger.warn('could not confirm the widget link with Belvo', { link_id: linkId, err });
    return 'belvo_unreachable';
  }
}

/** Why Belvo's answer does not close the case, or undefined when it does. */
function unconfirmedReason(link: BelvoLink, caseRecord: CaseRecord, mode: WidgetMode): string | undefined {
  if (link.status !== 'valid') return `link_${link.status}`;
  const theirs = link.external_id;
  if (mode === 'reconnect' && caseRecord.externalId && theirs && theirs !== caseRecord.externalId) return 'other_user';
  return undefined;
}

/** GET /r/:token/widget/:nonce/success: closes the case once Belvo confirms the link is valid. */
export async function widgetSucceeded(deps: WidgetDeps, req: Request, res: Response, found: PortalCase): Promise<Page | void> {
  const { caseRecord } = found;
  const attempt = takeWidgetAttempt(req, caseRecord.id, String(req.params['nonce']), deps.clock.now());
  if (!attempt) {
    deps.logger.warn('widget success callback without the session that started it', { case_id: caseRecord.id });
    return res.redirect(303, backTo(found, 'notConfirmed'));
  }
  const reported = typeof req.query['link'] === 'string' ? req.query['link'] : '';
  const linkId = attempt.mode === 'update' ? caseRecord.linkId : reported;
  const mismatch = attempt.mode === 'update' ? reported !== '' && reported !== caseRecord.linkId : !UUID.test(reported);
  const link = mismatch ? 'other_link' : await askBelvo(deps, linkId);
  const now = deps.clock.now();
  const reason = typeof link === 'string' ? link : unconfirmedReason(link, caseRecord, attempt.mode);
  if (reason || typeof link === 'string') {
    await addTimeline(deps.db, caseRecord.id, 'widget_unconfirmed', now, { reason: reason ?? 'unknown' });
    return res.redirect(303, backTo(found, 'notConfirmed'));
  }
  const details = attempt.mode === 'reconnect' ? { ...caseRecord.details, newLinkId: link.id } : caseRecord.details;
  await deps.db.transaction(async (trx) => {
    if (!(await transitionCase(trx, caseRecord.id, ACTIVE_STATUSES, 'resolved', now, { details }))) return;
    await addTimeline(trx, caseRecord.id, 'widget_success', now, {
      mode: attempt.mode,
      link_id: link.id,
      institution: link.institution,
      link_status: link.status,
    });
    await addTimeline(trx, caseRecord.id, 'resolved', now, { via: 'widget' });
  });
  return noticePage(pageContext(found), { state: 'success', notice: 'resolved', status: 200 });
}
