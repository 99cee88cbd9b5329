// "Continue with Belvo": the way through Belvo's hosted Connect widget. Update mode renews the
// credentials or MFA of the case's own link; a Brazilian consent whose accounts are gone connects
// again through Belvo's Open Finance widget (which needs the person's CPF and name), and the new
// link's id is kept on the case for the operator to re-map.
//
// The callbacks are GETs because Belvo's widget sends the browser back with a redirect. `exit` and
// `event` only write what happened on the timeline and send the person back to the case page.
// `success` is the one GET that closes a case, and that is safe: it acts only for the browser
// session and one-time nonce that started the visit, and only after Belvo itself says, through
// GET /api/links/{id}/, that the link is `valid`. A forged redirect gets "we couldn't confirm".
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { BelvoClient, BelvoLink, WidgetTokenRequest } from '../belvo/belvo-types.ts';
import { ACTIVE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import { addTimeline, listTimeline, transitionCase } from '../cases/case-repository.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Locale } from '../i18n/locale.ts';
import type { Logger } from '../logger.ts';
import { recordOperatorEvent } from '../operator-webhooks/operator-events.ts';
import { UNRECOVERABLE_CONSENT } from './consent-page.ts';
import { copyFor, type PortalCopy } from './portal-copy.ts';
import type { Page, PageMessage, WidgetOfferView } from './page-model.ts';
import { accountHolderOf, markOpened, type PortalCase } from './portal-context.ts';
import { saveSession } from '../http/session-store.ts';
import { rememberResult, type WidgetReturn } from './portal-result.ts';
import { forgetWidgetAttempt, startWidgetAttempt, takeWidgetAttempt, type WidgetMode } from './widget-session.ts';

export interface WidgetDeps {
  db: Knex;
  config: Config;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Belvo's words about an error end up on the timeline: short, and never more than a line. */
const text = z.string().transform((value) => value.trim().slice(0, 300));

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

/**
 * Whether Belvo's Open Finance widget can connect this person again from here. Belvo refuses a
 * token without the person's CPF and name or without the operator's terms, so without them the
 * page sends the person to the operator's app instead, and says why in `reason`.
 */
export function reconnectPlan(
  found: PortalCase,
  config: Config,
): { ok: true; request: Omit<Extract<WidgetTokenRequest, { kind: 'openFinance' }>, 'callbackUrls'> } | { ok: false; reason: string } {
  if (!offersWidget(config)) return { ok: false, reason: 'widget_turned_off' };
  const holder = accountHolderOf(found.user);
  if (!holder) return { ok: false, reason: found.user?.document?.type === 'CPF' ? 'no_name' : 'no_cpf' };
  const termsUrl = config.openFinance.termsUrl;
  if (!termsUrl) return { ok: false, reason: 'no_terms_url' };
  return { ok: true, request: { kind: 'openFinance', holder, termsUrl, purpose: config.openFinance.purpose, companyName: config.brand.name } };
}

/**
 * Called when a person is shown the page of a consent whose accounts are gone and the page cannot
 * connect them again (no CPF, say): the operator learns, once per case, on the timeline and in the
 * log, that this user has to connect again in their app.
 */
export async function recordInAppReconnection(deps: WidgetDeps, found: PortalCase, now: number): Promise<void> {
  if (widgetModeOf(found.caseRecord) !== 'reconnect') return;
  const plan = reconnectPlan(found, deps.config);
  if (plan.ok) return;
  const timeline = await listTimeline(deps.db, found.caseRecord.id);
  if (timeline.some((entry) => entry.type === 'reconnect_in_app')) return;
  await addTimeline(deps.db, found.caseRecord.id, 'reconnect_in_app', now, { reason: plan.reason });
  deps.logger.warn('a user must connect again in your app: their page cannot do it for them', {
    case_id: found.caseRecord.id,
    link_id: found.caseRecord.linkId,
    external_id: found.caseRecord.externalId,
    reason: plan.reason,
  });
}

/**
 * Adds the widget's button (and hides our own form) on a credentials or MFA page, as the operator
 * chose. Once the person typed their password in our form, Belvo's MFA step is answered in our
 * form too: the widget would start over and ask for the password again, so it comes second.
 */
export function withRemediationPaths(page: Page, found: PortalCase, config: Config, csrfToken: string): Page {
  if (page.template !== 'portal/password' && page.template !== 'portal/mfa') return page;
  const copy = copyFor(found.locale, found.institution, found.brand.name).widget;
  const form = offersForm(config);
  const secondary = form && page.template === 'portal/mfa' && page.view.tokenFirst;
  const orForm = page.template === 'portal/password' ? copy.orPassword : page.view.expectsInput ? copy.orToken : copy.orApprove;
  const widget: WidgetOfferView | undefined = offersWidget(config)
    ? {
        intro: secondary ? copy.instead : copy.intro,
        action: `/r/${found.token}/widget`,
        csrfToken,
        label: copy.button,
        ...(secondary ? { secondary } : form ? { orForm } : {}),
      }
    : undefined;
  // A page that offers neither would leave the person stuck: the form stays.
  const paths = { ...(widget ? { widget } : {}), offersForm: form || !widget };
  if (page.template === 'portal/password') return { ...page, view: { ...page.view, ...paths } };
  return { ...page, view: { ...page.view, ...paths } };
}

function returnMessage(copy: PortalCopy, which: WidgetReturn): PageMessage {
  return which === 'exited' ? { role: 'status', lines: copy.widget.exited } : { role: 'alert', lines: copy.widget[which] };
}

/** The case page with what the widget visit came to, unless the page already says something. */
export function withWidgetMessage(page: Page, found: PortalCase, which: WidgetReturn): Page {
  const message = returnMessage(copyFor(found.locale, found.institution, found.brand.name), which);
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

function widgetUrl(config: Config, access: string, found: PortalCase, mode: WidgetMode): string {
  const url = new URL(config.belvo.widgetUrl);
  url.searchParams.set('access_token', access);
  // Belvo's Open Finance widget runs in Portuguese (REAL-API.md).
  url.searchParams.set('locale', mode === 'reconnect' ? 'pt' : WIDGET_LOCALES[found.locale]);
  url.searchParams.set('mode', 'webapp');
  // A new link carries the user's id, so that Belvo's link says whose it is.
  if (mode === 'reconnect' && found.caseRecord.externalId) url.searchParams.set('external_id', found.caseRecord.externalId);
  return url.toString();
}

const caseUrl = (found: PortalCase) => `/r/${found.token}`;

/** Back to the case page, which shows what the visit came to (kept in the session, never in the URL). */
async function backWith(req: Request, res: Response, found: PortalCase, now: number, which?: WidgetReturn): Promise<void> {
  if (which) await rememberResult(req, found.caseRecord.id, { kind: 'widget', which }, now);
  res.redirect(303, caseUrl(found));
}

/** POST /r/:token/widget: a widget token from Belvo, then a 303 to the hosted widget. The token is never kept. */
export async function startWidget(deps: WidgetDeps, req: Request, res: Response, found: PortalCase): Promise<void> {
  const mode = widgetModeOf(found.caseRecord);
  const now = deps.clock.now();
  if (!offersWidget(deps.config) || !mode) return backWith(req, res, found, now);
  const plan = mode === 'reconnect' ? reconnectPlan(found, deps.config) : undefined;
  // The page offered no such button: a stale tab or a hand-made request.
  if (plan && !plan.ok) return backWith(req, res, found, now);
  const nonce = startWidgetAttempt(req, found.caseRecord.id, mode, now);
  const callbackBase = `${deps.config.publicUrl}/r/${found.token}/widget/${nonce}`;
  const callbackUrls = { success: `${callbackBase}/success`, exit: `${callbackBase}/exit`, event: `${callbackBase}/event` };
  let access: string;
  try {
    const request: WidgetTokenRequest =
      plan?.ok === true ? { ...plan.request, callbackUrls } : { kind: 'update', linkId: found.caseRecord.linkId, callbackUrls };
    ({ access } = await deps.belvo.createWidgetToken(request));
  } catch (err) {
    forgetWidgetAttempt(req);
    deps.logger.warn('could not get a widget token from Belvo', { case_id: found.caseRecord.id, mode, err });
    return backWith(req, res, found, now, 'unavailable');
  }
  await markOpened(deps.db, found.caseRecord, now, 'submission');
  await addTimeline(deps.db, found.caseRecord.id, 'widget_started', now, { mode });
  // The callbacks need the visit's nonce from the session, whoever is quicker.
  await saveSession(req);
  res.redirect(303, widgetUrl(deps.config, access, found, mode));
}

/** JSON in a query parameter (older forms of Belvo's callbacks), or nothing. */
function jsonParam(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The first of `values` that is a non-empty string, trimmed to one short line. */
function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const parsed = text.safeParse(value);
    if (parsed.success && parsed.data !== '') return parsed.data;
  }
  return undefined;
}

/**
 * What Belvo's widget said when it sent the person back. Belvo's hosted widget uses flat query
 * parameters (exit: `last_encountered_error_code`, `last_encountered_error_message`,
 * `meta_data_institution_name`, `meta_data_step`; error: `error`, `error_message`, or `warning`,
 * `warning_message`); older forms nest JSON in `last_encountered_error` and `meta_data`, or say
 * `error_code`. All are read; the flat ones win.
 */
export function widgetReport(query: Record<string, unknown>): Record<string, string> {
  const lastError = jsonParam(query['last_encountered_error']);
  const meta = jsonParam(query['meta_data']);
  const fields = {
    code: firstText(query['last_encountered_error_code'], query['error'], query['warning'], query['error_code'], lastError['code']),
    message: firstText(query['last_encountered_error_message'], query['error_message'], query['warning_message'], lastError['message']),
    step: firstText(query['meta_data_step'], meta['step']),
    institution: firstText(query['meta_data_institution_name'], query['institution'], meta['institution_name']),
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
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
  if (!takeWidgetAttempt(req, found.caseRecord.id, String(req.params['nonce']), now)) return backWith(req, res, found, now);
  const report = widgetReport(req.query as Record<string, unknown>);
  await addTimeline(deps.db, found.caseRecord.id, outcome === 'exit' ? 'widget_exit' : 'widget_error', now, report);
  await backWith(req, res, found, now, outcome === 'exit' ? 'exited' : 'failed');
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
export async function widgetSucceeded(deps: WidgetDeps, req: Request, res: Response, found: PortalCase): Promise<void> {
  const { caseRecord } = found;
  const attempt = takeWidgetAttempt(req, caseRecord.id, String(req.params['nonce']), deps.clock.now());
  if (!attempt) {
    deps.logger.warn('widget success callback without the session that started it', { case_id: caseRecord.id });
    return backWith(req, res, found, deps.clock.now(), 'notConfirmed');
  }
  const reported = typeof req.query['link'] === 'string' ? req.query['link'] : '';
  const linkId = attempt.mode === 'update' ? caseRecord.linkId : reported;
  const mismatch = attempt.mode === 'update' ? reported !== '' && reported !== caseRecord.linkId : !UUID.test(reported);
  const link = mismatch ? 'other_link' : await askBelvo(deps, linkId);
  const now = deps.clock.now();
  const reason = typeof link === 'string' ? link : unconfirmedReason(link, caseRecord, attempt.mode);
  if (reason || typeof link === 'string') {
    await addTimeline(deps.db, caseRecord.id, 'widget_unconfirmed', now, { reason: reason ?? 'unknown' });
    return backWith(req, res, found, now, 'notConfirmed');
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
    if (attempt.mode === 'reconnect') {
      const replaced = { old_link_id: caseRecord.linkId, new_link_id: link.id, external_id: caseRecord.externalId ?? link.external_id ?? null };
      await recordOperatorEvent(trx, { type: 'link.replaced', data: replaced }, now);
    }
  });
  await rememberResult(req, caseRecord.id, { kind: 'notice', state: 'success', notice: 'resolved' }, now);
  res.redirect(303, caseUrl(found));
}
