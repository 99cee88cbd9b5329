// Asks Belvo which institution a link belongs to, for links the operator never registered. It is a
// nicety (a bank's name and language in the message), never worth holding up the event queue: a
// short timeout, and after a failure no further asking for a while, so an outage of Belvo costs
// one slow lookup a minute rather than one per event.
import type { BelvoClient } from '../belvo/belvo-types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

const PAUSE_AFTER_FAILURE_MS = 60_000;

/** `logger` is the asking job's, so that a failure is logged with its job id. */
export type InstitutionLookup = (linkId: string, logger: Logger) => Promise<string | null>;

export function createInstitutionLookup(deps: { belvo: Pick<BelvoClient, 'getLink'>; clock: Clock }): InstitutionLookup {
  let pausedUntil = 0;
  return async (linkId, logger) => {
    if (deps.clock.now() < pausedUntil) return null;
    try {
      return (await deps.belvo.getLink(linkId)).institution;
    } catch (err) {
      pausedUntil = deps.clock.now() + PAUSE_AFTER_FAILURE_MS;
      logger.warn('could not read the link from Belvo; not asking again for a minute', { link_id: linkId, err });
      return null;
    }
  };
}
