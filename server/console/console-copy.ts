// The words of the operator console, one module per language. Sentences that carry a value are
// functions, so each language places it where its grammar wants; EJS escapes whatever they return.
import type { CaseKind, CaseStatus } from '../cases/case-types.ts';
import type { Locale } from '../i18n/locale.ts';
import type { StormReason } from '../storm/storm-decision.ts';
import { enConsoleCopy } from './console-copy-en.ts';
import { esConsoleCopy } from './console-copy-es.ts';
import { ptBrConsoleCopy } from './console-copy-pt-br.ts';

/** A timeline entry's detail, as stored. */
export type Detail = Record<string, unknown>;

/** Where a message stands, as the case page shows it (case-messages.ts). */
export const DELIVERY_STATES = ['held', 'queued', 'retrying', 'sending', 'sent', 'delivered', 'read', 'failed', 'undelivered', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const FUNNEL_STAGES = ['created', 'messaged', 'delivered', 'opened', 'submitted', 'resolved'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const FUNNEL_DIMENSIONS = ['channel', 'language', 'kind', 'institution'] as const;
export type FunnelDimension = (typeof FUNNEL_DIMENSIONS)[number];

/** Why an action was refused, as the console says it (the API's error codes). */
export type RefusalKey = 'case_ended' | 'no_contact' | 'unknown_user' | 'channel_unavailable';

/** The few words a timeline sentence needs from the rest of the copy. */
export interface TimelineWords {
  channel(name: unknown): string;
  delivery(status: unknown): string;
  /** The case status a skipped message names ("case closed"), lower-case; undefined for another reason. */
  endedStatus(reason: unknown): string | undefined;
  /** Who took an operator action: detail.by and detail.operator. */
  actor(detail: Detail): string;
  time(ms: unknown): string;
}

export type TimelineSentence = (detail: Detail, words: TimelineWords) => string;

export interface ProblemCopy {
  title: string;
  heading: string;
  body: string;
}

export interface ConsoleCopy {
  /** After each page title, and in the header. */
  product: string;
  skipToContent: string;
  nav: { label: string; cases: string; funnel: string; storms: string; signedInAs: (operator: string) => string; signOut: string };
  signIn: {
    title: string;
    heading: string;
    intro: string;
    password: string;
    submit: string;
    wrongPassword: string;
    tooMany: (minutes: number) => string;
    sessionEnded: string;
    signedOut: string;
  };
  statuses: Record<CaseStatus, string>;
  kinds: Record<CaseKind, string>;
  /** A channel as a noun ("e-mail", "SMS"). */
  channels: Record<string, string>;
  /** What a message was for: the case's first message, a new link the person asked for, a reminder. */
  templates: Record<string, string>;
  delivery: Record<DeliveryState, string>;
  unknownInstitution: string;
  none: string;
  cases: {
    title: string;
    heading: string;
    filters: string;
    search: string;
    searchHint: string;
    status: string;
    kind: string;
    institution: string;
    any: string;
    apply: string;
    clear: string;
    attentionHeading: string;
    attentionIntro: string;
    attentionMore: (shown: number, total: number) => string;
    attentionOnly: string;
    attentionFilterOn: string;
    listHeading: string;
    empty: string;
    emptyFiltered: string;
    newest: string;
    older: string;
    caseLabel: (id: number) => string;
    link: string;
    channel: string;
    age: string;
  };
  summary: {
    notMessaged: string;
    waiting: string;
    held: string;
    messaged: (ago: string, channel: string) => string;
    allFailed: (channel: string) => string;
    undelivered: (channel: string) => string;
    opened: string;
    wrongAnswers: (kind: CaseKind, count: number) => string;
    resolved: (ago: string) => string;
    fixedElsewhere: string;
    closed: (ago: string) => string;
    expired: string;
    failed: string;
    unreachable: string;
  };
  case: {
    title: (id: number) => string;
    heading: (kind: string, institution: string) => string;
    back: string;
    facts: string;
    status: string;
    kind: string;
    institution: string;
    link: string;
    created: string;
    closed: string;
    failedAttempts: string;
    errorCode: string;
    person: string;
    externalId: string;
    name: string;
    email: string;
    phone: string;
    language: string;
    channels: string;
    noUser: string;
    reveal: string;
    revealNote: string;
    revealed: string;
    messages: string;
    noMessages: string;
    message: (id: number) => string;
    messageColumn: string;
    channelColumn: string;
    purpose: string;
    state: string;
    when: string;
    tries: (count: number) => string;
    timeline: string;
    actions: string;
    resend: string;
    resendIntro: string;
    close: string;
    closeIntro: string;
    ended: string;
    confirmResendHeading: string;
    confirmResendIntro: string;
    channelLabel: string;
    sendTo: (channel: string, contact: string) => string;
    noContact: string;
    confirmResend: string;
    confirmCloseHeading: string;
    confirmCloseIntro: string;
    reasonLabel: string;
    reasonHint: string;
    confirmClose: string;
    cancel: string;
    resent: (channel: string) => string;
    closedNow: string;
    alreadyClosed: string;
    refusals: Record<RefusalKey, string>;
    invalidForm: string;
  };
  timeline: Partial<Record<string, TimelineSentence>>;
  /** Who took an operator action. */
  actors: { apiKey: string; console: (operator: string) => string; erasure: string; unknown: string };
  funnel: {
    title: string;
    heading: string;
    intro: string;
    period: string;
    from: string;
    to: string;
    show: string;
    lastDays: (days: number) => string;
    utc: string;
    badPeriod: string;
    summary: (from: string, to: string) => string;
    stages: Record<FunnelStage, string>;
    stageHelp: Record<FunnelStage, string>;
    ofCreated: (percent: string) => string;
    median: string;
    medianOf: (count: number) => string;
    noMedian: string;
    fixedElsewhere: (count: number) => string;
    empty: string;
    breakdown: Record<FunnelDimension, string>;
    /** The first column of a breakdown's table. */
    dimension: Record<FunnelDimension, string>;
    /** The median's column in a breakdown's table. */
    medianColumn: string;
    notMessaged: string;
  };
  /** The storms page and the banner every page shows while the storm guard holds something. */
  storms: {
    title: string;
    heading: string;
    intro: string;
    empty: string;
    institution: string;
    reason: string;
    reasons: Record<StormReason, string>;
    since: string;
    counted: string;
    heldCases: string;
    heldMessages: string;
    release: string;
    releaseLabel: (institution: string) => string;
    confirmHeading: (institution: string) => string;
    confirmIntro: (messages: number) => string;
    confirm: string;
    cancel: string;
    released: (institution: string, messages: number) => string;
    notHeld: (institution: string) => string;
    banner: (banks: number) => string;
    bannerLink: string;
  };
  units: { day: string; hour: string; minute: string; underAMinute: string };
  problems: { notFound: ProblemCopy; serverError: ProblemCopy; csrf: ProblemCopy; backToCases: string };
}

const COPY: Record<Locale, ConsoleCopy> = { es: esConsoleCopy, 'pt-BR': ptBrConsoleCopy, en: enConsoleCopy };

export function consoleCopyFor(locale: Locale): ConsoleCopy {
  return COPY[locale];
}
