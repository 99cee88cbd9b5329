// English, for users who chose it. Plain ASCII in SMS keeps every text in GSM-7.
import type { CaseKind } from '../cases/case-types.ts';
import type { CopyFacts, EmailCopy, LocaleCopy } from './message-copy.ts';

const SENDER = 'Your financial app';
const SMS_FROM = 'Your financial app:';

function account(f: CopyFacts): string {
  return f.institution ? `your ${f.institution} account` : 'your bank account';
}

function consentSubject(f: CopyFacts): string {
  if (f.consentExpired) return `The consent for ${account(f)} has expired`;
  return f.dueDate
    ? `The consent for ${account(f)} expires on ${f.dueDate}`
    : `The consent for ${account(f)} expires soon`;
}

function subject(f: CopyFacts): string {
  const newLink: Record<CaseKind, string> = {
    credentials: `Your new link to update the connection to ${account(f)}`,
    mfa: `Your new link to confirm access to ${account(f)}`,
    consent: `Your new link to renew the consent for ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `The connection to ${account(f)} stopped working`,
    mfa: `Confirm access to ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `Reminder: the connection to ${account(f)} is still not working`,
    mfa: `Reminder: your bank is still waiting for you to confirm access to ${account(f)}`,
    consent: `Reminder: ${lowerFirst(consentSubject(f))}`,
  };
  const byTemplate = { new_link: newLink, remediation: first, reminder };
  return byTemplate[f.template][f.caseKind];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string) => `The Open Finance consent that ${verb} your financial app see data from ${account(f)}`;
  if (f.consentExpired) return `${what('let')} has expired.`;
  return f.dueDate ? `${what('lets')} expires on ${f.dueDate}.` : `${what('lets')} expires soon.`;
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `Your financial app can no longer connect to ${account(f)}. Most likely, your bank password has changed.`,
    mfa: `To keep ${account(f)} up to date, your bank asks for a security check: a code, a token or an approval in your bank's app.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'To reconnect, open the link and enter your current bank password on the secure page.',
    mfa: 'Have your token or phone at hand, open the link and follow the steps.',
    consent: f.consentExpired
      ? 'You can renew it in a few minutes: open the link and confirm the renewal with your bank.'
      : 'Renewing takes a few minutes: open the link and confirm the renewal with your bank.',
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.caseKind === 'consent' && f.consentExpired) {
    return `Until you renew it, your financial app won't receive balances or transactions from ${account(f)}.`;
  }
  if (f.caseKind === 'consent') {
    return `If you don't renew it in time, your financial app will stop receiving balances and transactions from ${account(f)}.`;
  }
  return `If you don't, your financial app can't show up-to-date balances and transactions from ${account(f)}.`;
}

const SAFETY: Record<CaseKind, string> = {
  credentials: "Don't reply to this e-mail with your password: enter it only on the secure page this e-mail links to.",
  mfa: "Don't reply to this e-mail with codes or passwords: enter them only on the secure page this e-mail links to.",
  consent: "We'll never ask for your password by e-mail. Don't reply to this message with your bank details.",
};

const BUTTON: Record<CaseKind, string> = {
  credentials: 'Update my connection',
  mfa: 'Confirm my access',
  consent: 'Renew my consent',
};

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Here is the new link you asked for.');
  if (f.template === 'reminder') intro.unshift("We wrote to you about this recently, and it's still pending.");
  return {
    subject: subject(f),
    sender: SENDER,
    greeting: f.userName ? `Hi ${f.userName},` : 'Hi,',
    intro,
    action: action(f),
    button: BUTTON[f.caseKind],
    personal: "This link is just for you and expires soon for your security. Don't share it with anyone.",
    ifIgnored: ifIgnored(f),
    safety: SAFETY[f.caseKind],
    footer: `You're receiving this e-mail because you connected ${account(f)} to your financial app.`,
  };
}

function smsConsent(f: CopyFacts): string[] {
  const when = f.consentExpired ? 'has expired' : f.dueDate ? `expires on ${f.dueDate}` : 'expires soon';
  const texts = [
    `${SMS_FROM} your consent ${when}. Renew it on your personal link:`,
    `${SMS_FROM} your consent ${when}. Renew it on your link:`,
    `${SMS_FROM} your consent ${when}. Renew it here:`,
  ];
  if (f.institution) texts.unshift(`${SMS_FROM} your consent for ${f.institution} ${when}. Renew it on your personal link:`);
  return texts;
}

function smsFirst(f: CopyFacts): string[] {
  const inst = f.institution;
  const byKind: Record<CaseKind, () => string[]> = {
    credentials: () => [
      `${SMS_FROM} ${inst ?? 'your bank'} no longer accepts your saved password. Enter the new one on your personal link:`,
      ...(inst ? [`${SMS_FROM} update your ${inst} password on your personal link:`] : []),
      `${SMS_FROM} update your bank password on your personal link:`,
    ],
    mfa: () => [
      `${SMS_FROM} ${inst ?? 'your bank'} asks you to confirm it's you. Do it on your personal link:`,
      ...(inst ? [`${SMS_FROM} confirm access to your ${inst} account on your personal link:`] : []),
      `${SMS_FROM} confirm access to your bank on your personal link:`,
    ],
    consent: () => smsConsent(f),
  };
  return byKind[f.caseKind]();
}

function smsNewLink(f: CopyFacts): string[] {
  const purpose: Record<CaseKind, (bank?: string) => string> = {
    credentials: (bank) => (bank ? `update your ${bank} password` : 'update your bank password'),
    mfa: (bank) => (bank ? `confirm access to your ${bank} account` : 'confirm access to your bank'),
    consent: (bank) => (bank ? `renew your consent for ${bank}` : 'renew your consent'),
  };
  const forBank = purpose[f.caseKind];
  return [...new Set([forBank(f.institution), forBank()])].map((p) => `${SMS_FROM} your new personal link to ${p}:`);
}

function smsReminder(f: CopyFacts): string[] {
  const inst = f.institution;
  const when = f.consentExpired ? 'it has expired' : f.dueDate ? `due ${f.dueDate}` : 'due soon';
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      ...(inst ? [`${SMS_FROM} reminder: update your ${inst} password on your personal link:`] : []),
      `${SMS_FROM} reminder: update your bank password on your link:`,
    ],
    mfa: [
      ...(inst ? [`${SMS_FROM} reminder: confirm access to your ${inst} account on your personal link:`] : []),
      `${SMS_FROM} reminder: confirm access to your bank on your link:`,
    ],
    consent: [
      ...(inst ? [`${SMS_FROM} reminder to renew your consent for ${inst}, ${when}:`] : []),
      `${SMS_FROM} reminder to renew your consent, ${when}:`,
    ],
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f);
}

function smsGreeting(name: string): string {
  return `Hi ${name}. `;
}

export const enCopy: LocaleCopy = { email, sms, smsGreeting };
