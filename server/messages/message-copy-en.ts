// English, for users who chose it. Plain ASCII in SMS keeps every text in GSM-7.
import type { CaseKind } from '../cases/case-types.ts';
import type { WhatsAppTemplateName } from '../channels/channel.ts';
import { lowerFirst, sentenceStart } from './copy-text.ts';
import type { CopyFacts, EmailCopy, LocaleCopy, WhatsAppCopy } from './message-copy.ts';

function account(f: CopyFacts): string {
  return f.institution ? `your ${f.institution} account` : 'your bank account';
}

function consentSubject(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return `The consent for ${account(f)} has expired`;
    case 'reconnect':
      return `Connect ${account(f)} again`;
    case 'unavailable':
      return `Some data from ${account(f)} is unavailable`;
    default:
      return f.dueDate ? `The consent for ${account(f)} expires on ${f.dueDate}` : `The consent for ${account(f)} expires soon`;
  }
}

/** The subject names the brand; the heading inside the e-mail, under the brand's header, need not. */
function subject(f: CopyFacts): { subject: string; heading: string } {
  const newLink: Record<CaseKind, string> = {
    credentials: `Your new link to update the connection to ${account(f)}`,
    mfa: `Your new link to confirm access to ${account(f)}`,
    consent: `Your new link for the consent for ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `The connection to ${account(f)} stopped working`,
    mfa: `Confirm access to ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `The connection to ${account(f)} is still not working`,
    mfa: `Your bank is still waiting for you to confirm access to ${account(f)}`,
    consent: consentSubject(f),
  };
  if (f.template === 'reminder') {
    const topic = lowerFirst(reminder[f.caseKind]);
    return { subject: `Reminder from ${f.brand}: ${topic}`, heading: `Reminder: ${topic}` };
  }
  const topic = (f.template === 'new_link' ? newLink : first)[f.caseKind];
  return { subject: `${f.brand}: ${lowerFirst(topic)}`, heading: topic };
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string) => `The Open Finance consent that ${verb} ${f.brand} see data from ${account(f)}`;
  switch (f.consent) {
    case 'expired':
      return `${what('let')} has expired.`;
    case 'reconnect':
      return `${f.brand} lost access to some of the data from ${account(f)} and can't get it back with the current Open Finance consent.`;
    case 'unavailable':
      return `${f.institution ?? 'Your bank'} has stopped sharing some of the data from ${account(f)} for a while.`;
    default:
      return f.dueDate ? `${what('lets')} expires on ${f.dueDate}.` : `${what('lets')} expires soon.`;
  }
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `${f.brand} can no longer connect to ${account(f)}. Most likely, your bank password has changed.`,
    mfa: `To keep ${account(f)} up to date in ${f.brand}, your bank asks for a security check: a code, a token or an approval in your bank's app.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function consentAction(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return 'You can renew it in a few minutes: open the link and confirm the renewal with your bank.';
    case 'reconnect':
      return 'To see it again, open the link and connect your account once more: it takes a few minutes and you confirm it with your bank.';
    case 'unavailable':
      return 'Open the link to see the state of your connection and what you can do.';
    default:
      return 'Renewing takes a few minutes: open the link and confirm the renewal with your bank.';
  }
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'To reconnect, open the link and enter your current bank password on the secure page.',
    mfa: 'Have your token or phone at hand, open the link and follow the steps.',
    consent: consentAction(f),
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.consent === 'expiring') return `If you don't renew it in time, ${f.brand} will stop receiving balances and transactions from ${account(f)}.`;
  if (f.consent === 'unavailable') return `Meanwhile, ${f.brand} may show incomplete data from ${account(f)}.`;
  if (f.consent) return `Until you do, ${f.brand} won't receive balances or transactions from ${account(f)}.`;
  return `If you don't, ${f.brand} can't show up-to-date balances and transactions from ${account(f)}.`;
}

function button(f: CopyFacts): string {
  if (f.consent === 'reconnect') return 'Connect my account';
  if (f.consent === 'unavailable') return 'See my connection';
  const byKind: Record<CaseKind, string> = {
    credentials: 'Update my connection',
    mfa: 'Confirm my access',
    consent: 'Renew my consent',
  };
  return byKind[f.caseKind];
}

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Here is the new link you asked for.');
  if (f.template === 'reminder') intro.unshift("We wrote to you about this recently, and it's still pending.");
  return {
    ...subject(f),
    greeting: f.userName ? `Hi ${f.userName},` : 'Hi,',
    intro,
    action: action(f),
    button: button(f),
    personal: "This link is just for you and expires soon for your security. Don't share it with anyone.",
    ifIgnored: ifIgnored(f),
    safety: `${f.brand} will never ask for your password or codes by phone, SMS, e-mail or WhatsApp. Enter them only on the secure page the link opens, never in a reply to this e-mail.`,
    signature: `The ${f.brand} team`,
    supportIntro: `Questions about this e-mail? Contact ${f.brand}:`,
    supportLabels: { url: 'Help', email: 'E-mail', phone: 'Phone' },
    footer: `You're receiving this e-mail because you connected ${account(f)} to ${f.brand}.`,
  };
}

// SMS: "<brand>: <text> <link>". The last text of each list is the shortest, written to fit with
// a 20-character brand, a 40-character PUBLIC_URL and a 20-character bank name.

function smsConsent(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `expires ${f.dueDate}` : 'expires soon';
  switch (f.consent) {
    case 'expired':
      return [`Your consent with ${bank} has expired. Renew it on your personal link:`, `Your consent with ${bank} expired:`];
    case 'reconnect':
      return [`Connect your ${bank} account again on your personal link:`, `Reconnect your ${bank} account:`];
    case 'unavailable':
      return [`${bank} stopped sharing some of your data for now. See the status at:`, `Status of your ${bank} data:`];
    default:
      return [`Your consent with ${bank} ${when}. Renew it on your personal link:`, `Your consent with ${bank} ${when}:`];
  }
}

function smsFirst(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      `${bank} no longer accepts your saved password. Enter the new one on your personal link:`,
      `${bank} refused your password. Enter the new one at:`,
      `${bank} refused your password. Update it at:`,
    ],
    mfa: [`${bank} asks you to confirm it's you. Do it on your personal link:`, `${bank} asks you to confirm access:`],
    consent: smsConsent(f, bank),
  };
  return byKind[f.caseKind];
}

function smsNewLink(f: CopyFacts, bank: string): string[] {
  const purpose: Record<CaseKind, string> = {
    credentials: `to update your ${bank} password`,
    mfa: `to confirm access to ${bank}`,
    consent: `for your consent with ${bank}`,
  };
  return [`Your new personal link ${purpose[f.caseKind]}:`, `Your new link for ${bank}:`];
}

function smsConsentReminder(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `expires ${f.dueDate}` : 'expires soon';
  switch (f.consent) {
    case 'expired':
      return [`Reminder: your consent with ${bank} has expired. Renew it at:`, `Renew your consent with ${bank}:`];
    case 'reconnect':
      return [`Reminder: connect your ${bank} account again at:`, `Reminder: reconnect your ${bank} account:`];
    case 'unavailable':
      return [`Reminder: ${bank} still isn't sharing some of your data. See:`, `Reminder: status of your ${bank} data:`];
    default:
      return [`Reminder: your consent with ${bank} ${when}. Renew it at:`, `Renew your consent with ${bank}:`];
  }
}

function smsReminder(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [`Reminder: ${bank} still refuses your password. Enter the new one at:`, `Reminder: update your ${bank} password:`],
    mfa: [`Reminder: ${bank} is still waiting for you to confirm access at:`, `Reminder: confirm access to ${bank}:`],
    consent: smsConsentReminder(f, bank),
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const bank = f.institution ?? 'your bank';
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f, bank).map((text) => sentenceStart(text, f.institution));
}

function smsGreeting(name: string): string {
  return `Hi ${name}. `;
}

// WhatsApp: the texts an operator registers at Twilio. The consent one is worded for every
// consent situation (about to expire, expired, reconnect), since the template is fixed.
const WHATSAPP_LINES: Record<WhatsAppTemplateName, { what: string; todo: string }> = {
  credentials: {
    what: 'Your connection to {{2}} stopped working: most likely, your bank password has changed.',
    todo: 'To reconnect, open your personal link and enter your current password on the secure page',
  },
  mfa: {
    what: 'To keep your data up to date, {{2}} asks for a security check.',
    todo: 'Have your token or your bank app at hand and open your personal link',
  },
  consent: {
    what: 'Your Open Finance consent with {{2}}, which lets us see your account data, needs your attention.',
    todo: 'Your personal link shows what happened and how to continue',
  },
  reminder: {
    what: 'A reminder that your connection to {{2}} is still pending.',
    todo: 'Sort it out in a few minutes on your personal link',
  },
  new_link: {
    what: 'Here is the new link you asked for, for your connection to {{2}}.',
    todo: 'Open it to continue',
  },
};

const whatsapp: WhatsAppCopy = {
  greeting: 'Hi, this is *{{1}}*.',
  lines: WHATSAPP_LINES,
  tapButton: 'tap the button below.',
  closing: 'The link is just for you and expires soon. We will never ask for your password by phone, SMS or in this chat.',
  button: 'Open my link',
  someBank: 'your bank',
};

export const enCopy: LocaleCopy = { email, sms, smsGreeting, whatsapp };
