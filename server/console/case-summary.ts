// The one line a case row says in plain words: "Messaged 2 hours ago by SMS, opened, 1 wrong password".
import type { CaseRecord } from '../cases/case-types.ts';
import { reachedPerson, type CaseMessage } from './case-messages.ts';
import type { ConsoleCopy } from './console-copy.ts';
import type { ConsoleFormat } from './console-format.ts';

export interface SummaryInput {
  theCase: CaseRecord;
  /** The case's messages, oldest first. */
  messages: readonly CaseMessage[];
  opened: boolean;
  now: number;
}

function messagePart(input: SummaryInput, copy: ConsoleCopy, format: ConsoleFormat): string | undefined {
  const { messages, now, theCase } = input;
  const channel = (name: string) => copy.channels[name] ?? name;
  const lastSent = messages.filter((m) => m.sentAt !== null).at(-1);
  if (lastSent) {
    return reachedPerson(lastSent)
      ? copy.summary.messaged(format.ago(lastSent.sentAt!, now), channel(lastSent.channel))
      : copy.summary.undelivered(channel(lastSent.channel));
  }
  const lastFailed = messages.filter((m) => m.state === 'failed').at(-1);
  if (lastFailed) return copy.summary.allFailed(channel(lastFailed.channel));
  if (messages.some((m) => m.state === 'held')) return copy.summary.held;
  if (messages.some((m) => m.state === 'pending' || m.state === 'running')) return copy.summary.waiting;
  // An unreachable case says so below; a case that never needed a message (a consent notice) says nothing.
  return theCase.status === 'unreachable' ? undefined : copy.summary.notMessaged;
}

function endPart(theCase: CaseRecord, now: number, copy: ConsoleCopy, format: ConsoleFormat): string | undefined {
  const endedAgo = () => format.ago(theCase.closedAt ?? theCase.updatedAt, now);
  switch (theCase.status) {
    case 'resolved':
      return copy.summary.resolved(endedAgo());
    case 'closed':
      return copy.summary.closed(endedAgo());
    case 'expired':
      return copy.summary.expired;
    case 'failed':
      return copy.summary.failed;
    case 'unreachable':
      return copy.summary.unreachable;
    default:
      return undefined;
  }
}

export function caseSummary(input: SummaryInput, copy: ConsoleCopy, format: ConsoleFormat): string {
  const { theCase } = input;
  const parts = [
    messagePart(input, copy, format),
    input.opened ? copy.summary.opened : undefined,
    theCase.failedAttempts > 0 ? copy.summary.wrongAnswers(theCase.kind, theCase.failedAttempts) : undefined,
    endPart(theCase, input.now, copy, format),
  ].filter((part): part is string => part !== undefined);
  const sentence = parts.join(', ');
  return sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
}
