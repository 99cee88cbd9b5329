// Neutral Latin-American Spanish, addressing the person as "tú". SMS texts avoid á, í, ó and ú,
// which are outside GSM-7 (é and ñ are inside), so whole words are chosen to need no such accent.
import type { CaseKind } from '../cases/case-types.ts';
import type { CopyFacts, EmailCopy, LocaleCopy } from './message-copy.ts';

const SENDER = 'Tu app financiera';
const SMS_FROM = 'Tu app financiera:';

function account(f: CopyFacts): string {
  return f.institution ? `tu cuenta de ${f.institution}` : 'tu cuenta bancaria';
}

function consentSubject(f: CopyFacts): string {
  if (f.consentExpired) return `El consentimiento de ${account(f)} venció`;
  return f.dueDate
    ? `El consentimiento de ${account(f)} vence el ${f.dueDate}`
    : `El consentimiento de ${account(f)} vence pronto`;
}

function subject(f: CopyFacts): string {
  const newLink: Record<CaseKind, string> = {
    credentials: `Tu nuevo enlace para actualizar la conexión de ${account(f)}`,
    mfa: `Tu nuevo enlace para confirmar el acceso a ${account(f)}`,
    consent: `Tu nuevo enlace para renovar el consentimiento de ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `La conexión de ${account(f)} dejó de funcionar`,
    mfa: `Confirma el acceso a ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `Recordatorio: la conexión de ${account(f)} sigue sin funcionar`,
    mfa: `Recordatorio: tu banco sigue esperando que confirmes el acceso a ${account(f)}`,
    consent: `Recordatorio: ${lowerFirst(consentSubject(f))}`,
  };
  const byTemplate = { new_link: newLink, remediation: first, reminder };
  return byTemplate[f.template][f.caseKind];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string) => `El consentimiento de Open Finance que ${verb} a tu app financiera ver los datos de ${account(f)}`;
  if (f.consentExpired) return `${what('permitía')} venció.`;
  return f.dueDate ? `${what('permite')} vence el ${f.dueDate}.` : `${what('permite')} vence pronto.`;
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `Tu app financiera ya no puede conectarse a ${account(f)}. Lo más probable es que tu contraseña del banco haya cambiado.`,
    mfa: `Para seguir actualizando los datos de ${account(f)}, tu banco pide una confirmación de seguridad: un código, un token o una aprobación en la app del banco.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'Para volver a conectarla, abre el enlace y escribe tu contraseña actual del banco en la página segura.',
    mfa: 'Ten a la mano tu token o tu celular, abre el enlace y sigue los pasos.',
    consent: f.consentExpired
      ? 'Puedes renovarlo en unos minutos: abre el enlace y confirma la renovación con tu banco.'
      : 'Renovarlo toma unos minutos: abre el enlace y confirma la renovación con tu banco.',
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.caseKind === 'consent' && f.consentExpired) {
    return `Mientras no lo renueves, tu app financiera no recibirá los saldos ni los movimientos de ${account(f)}.`;
  }
  if (f.caseKind === 'consent') {
    return `Si no lo renuevas a tiempo, tu app financiera dejará de recibir los saldos y los movimientos de ${account(f)}.`;
  }
  return `Si no lo haces, tu app financiera no podrá mostrar los saldos ni los movimientos recientes de ${account(f)}.`;
}

const SAFETY: Record<CaseKind, string> = {
  credentials: 'No respondas a este correo con tu contraseña: escríbela solo en la página segura a la que lleva este correo.',
  mfa: 'No respondas a este correo con códigos ni contraseñas: escríbelos solo en la página segura a la que lleva este correo.',
  consent: 'Nunca te pediremos tu contraseña por correo. No respondas a este mensaje con datos de tu banco.',
};

const BUTTON: Record<CaseKind, string> = {
  credentials: 'Actualizar mi conexión',
  mfa: 'Confirmar mi acceso',
  consent: 'Renovar mi consentimiento',
};

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Aquí tienes el nuevo enlace que pediste.');
  if (f.template === 'reminder') intro.unshift('Te escribimos hace poco sobre esto y sigue pendiente.');
  return {
    subject: subject(f),
    sender: SENDER,
    greeting: f.userName ? `Hola, ${f.userName}:` : 'Hola:',
    intro,
    action: action(f),
    button: BUTTON[f.caseKind],
    personal: 'Este enlace es solo para ti y vence pronto por tu seguridad. No lo compartas con nadie.',
    ifIgnored: ifIgnored(f),
    safety: SAFETY[f.caseKind],
    footer: `Recibes este correo porque conectaste ${account(f)} a tu app financiera.`,
  };
}

function smsConsent(f: CopyFacts): string[] {
  const when = f.consentExpired ? 'ha vencido' : f.dueDate ? `vence el ${f.dueDate}` : 'vence pronto';
  const texts = [
    `${SMS_FROM} tu consentimiento ${when}. Renuévalo en tu enlace personal:`,
    `${SMS_FROM} tu consentimiento ${when}. Renuévalo en tu enlace:`,
    `${SMS_FROM} tu consentimiento ${when}. Renuévalo:`,
  ];
  if (f.institution) texts.unshift(`${SMS_FROM} tu consentimiento con ${f.institution} ${when}. Renuévalo en tu enlace personal:`);
  return texts;
}

function smsFirst(f: CopyFacts): string[] {
  const inst = f.institution;
  const byKind: Record<CaseKind, () => string[]> = {
    credentials: () => [
      `${SMS_FROM} ${inst ?? 'tu banco'} ya no acepta tu contraseña guardada. Escribe la nueva en tu enlace personal:`,
      ...(inst ? [`${SMS_FROM} actualiza tu contraseña de ${inst} en tu enlace personal:`] : []),
      `${SMS_FROM} actualiza tu contraseña del banco en tu enlace personal:`,
    ],
    mfa: () => [
      `${SMS_FROM} ${inst ?? 'tu banco'} pide verificar tu identidad. Hazlo en tu enlace personal:`,
      ...(inst ? [`${SMS_FROM} confirma tu acceso a ${inst} en tu enlace personal:`] : []),
      `${SMS_FROM} confirma tu acceso al banco en tu enlace personal:`,
    ],
    consent: () => smsConsent(f),
  };
  return byKind[f.caseKind]();
}

function smsNewLink(f: CopyFacts): string[] {
  const purpose: Record<CaseKind, (bank?: string) => string> = {
    credentials: (bank) => (bank ? `actualizar tu contraseña de ${bank}` : 'actualizar tu contraseña'),
    mfa: (bank) => (bank ? `confirmar tu acceso a ${bank}` : 'confirmar tu acceso'),
    consent: (bank) => (bank ? `renovar tu consentimiento con ${bank}` : 'renovar tu consentimiento'),
  };
  const forBank = purpose[f.caseKind];
  return [...new Set([forBank(f.institution), forBank()])].map((p) => `${SMS_FROM} tu nuevo enlace personal para ${p}:`);
}

function smsReminder(f: CopyFacts): string[] {
  const inst = f.institution;
  const when = f.consentExpired ? 'ha vencido' : f.dueDate ? `vence el ${f.dueDate}` : 'vence pronto';
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      ...(inst ? [`${SMS_FROM} recordatorio, actualiza tu contraseña de ${inst} en tu enlace personal:`] : []),
      `${SMS_FROM} recordatorio, actualiza tu contraseña en tu enlace:`,
    ],
    mfa: [
      ...(inst ? [`${SMS_FROM} recordatorio, confirma tu acceso a ${inst} en tu enlace personal:`] : []),
      `${SMS_FROM} recordatorio, confirma tu acceso en tu enlace:`,
    ],
    consent: [
      ...(inst ? [`${SMS_FROM} recuerda renovar tu consentimiento con ${inst}, ${when}:`] : []),
      `${SMS_FROM} recuerda renovar tu consentimiento, ${when}:`,
    ],
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f);
}

function smsGreeting(name: string): string {
  return `Hola, ${name}. `;
}

export const esCopy: LocaleCopy = { email, sms, smsGreeting };
