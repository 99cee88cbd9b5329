// What GET /r/:token shows: the case as it stands, told with the result of this browser's last
// form POST on it (portal-result.ts). Pages that end a journey or ask the person to wait always
// say what to do next: when to try again, with a button back to the form once that makes sense,
// and how to reach support.
import { isClosed } from '../cases/case-types.ts';
import type { Config } from '../config.ts';
import { userTimeZone } from '../reminders/reminder-schedule.ts';
import { noticePage, type Page } from './page-model.ts';
import {
  canAct,
  casePage,
  closedPage,
  offersNewLink,
  pageContext,
  refusalPage,
  sessionExpiredPage,
  type PortalCase,
} from './portal-context.ts';
import type { PortalResult } from './portal-result.ts';
import { reconnectPlan, widgetModeOf, withRemediationPaths, withWidgetMessage } from './portal-widget.ts';

export interface ViewInput {
  found: PortalCase;
  /** The result of this browser's last POST on the case, when it still holds. */
  result: PortalResult | undefined;
  now: number;
  /** `?step=password`: "Start again" after the bank's session ran out. */
  restart: boolean;
  config: Config;
  /** The CSRF token, asked for only by a page that carries a form. */
  csrfToken: () => string;
}

/** A page of its own for a result: done, final, or "try again at…". */
function resultNotice(input: ViewInput, result: Extract<PortalResult, { kind: 'notice' }>): Page {
  const { found, now } = input;
  const ctx = pageContext(found);
  if (result.notice === 'mfaSessionExpired') return sessionExpiredPage(ctx);
  const timeZone = userTimeZone(found.user?.timeZone, found.caseRecord.institution);
  return noticePage(ctx, {
    state: result.state,
    notice: result.notice,
    status: 200,
    ...(result.retryAt !== undefined ? { retry: { at: result.retryAt, now, timeZone } } : {}),
  });
}

/** An expired link, with what became of a request for a new one. */
function expiredLinkPage(input: ViewInput): Page {
  const { found, result } = input;
  const newLink = result?.kind === 'newLink' ? result.outcome : undefined;
  if (!newLink || !offersNewLink(found)) return refusalPage(found, input.csrfToken)!;
  return noticePage(pageContext(found), { state: 'expired', notice: 'linkExpired', status: 200, newLink });
}

export async function viewCase(input: ViewInput): Promise<Page> {
  const { found, result, config } = input;
  if (isClosed(found.caseRecord.status)) {
    return result?.kind === 'notice' ? resultNotice(input, result) : closedPage(pageContext(found), found.caseRecord);
  }
  const restarting = input.restart && result?.kind === 'notice' && result.notice === 'mfaSessionExpired';
  if (result?.kind === 'notice' && !restarting) return resultNotice(input, result);
  if (!canAct(found)) return expiredLinkPage(input);

  const csrfToken = input.csrfToken();
  const reconnect = widgetModeOf(found.caseRecord) === 'reconnect' && reconnectPlan(found, config).ok;
  const page = await casePage(found, {
    csrfToken,
    now: input.now,
    restart: input.restart,
    myBelvoPortalUrl: config.myBelvoPortalUrl,
    ...(result?.kind === 'ask' && result.alert ? { refusal: { alert: result.alert, ...(result.triesLeft ? { triesLeft: result.triesLeft } : {}) } } : {}),
    ...(reconnect ? { reconnect } : {}),
    ...(result?.kind === 'renewal' ? { renewalUnavailable: true } : {}),
  });
  const offered = withRemediationPaths(page, found, config, csrfToken);
  return result?.kind === 'widget' ? withWidgetMessage(offered, found, result.which) : offered;
}
