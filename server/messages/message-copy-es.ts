// Neutral Latin-American Spanish, addressing the person as "tú". SMS texts avoid á, í, ó and ú,
// which are outside GSM-7 (é and ñ are inside), so whole words are chosen to need no such accent.
import type { CaseKind } from '../cases/case-types.ts';
import type { WhatsAppTemplateName } from '../channels/channel.ts';
import { lowerFirst, sentenceStart } from './copy-text.ts';
import type { CopyFacts, EmailCopy, LocaleCopy, WhatsAppCopy } from './message-copy.ts';

function account(f: CopyFacts): string {
  return f.institution ? `tu cuenta de ${f.institution}` : 'tu cuenta bancaria';
}

function consentSubject(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return `El consentimiento de ${account(f)} venció`;
    case 'reconnect':
      return `Vuelve a conectar ${account(f)}`;
    case 'unavailable':
      return `Parte de los datos de ${account(f)} no está disponible`;
    default:
      return f.dueDate ? `El consentimiento de ${account(f)} vence el ${f.dueDate}` : `El consentimiento de ${account(f)} vence pronto`;
  }
}

/** The subject names the brand; the heading inside the e-mail, under the brand's header, need not. */
function subject(f: CopyFacts): { subject: string; heading: string } {
  const newLink: Record<CaseKind, string> = {
    credentials: `Tu nuevo enlace para actualizar la conexión de ${account(f)}`,
    mfa: `Tu nuevo enlace para confirmar el acceso a ${account(f)}`,
    consent: `Tu nuevo enlace para el consentimiento de ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `La conexión de ${account(f)} dejó de funcionar`,
    mfa: `Confirma el acceso a ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `La conexión de ${account(f)} sigue sin funcionar`,
    mfa: `Tu banco sigue esperando que confirmes el acceso a ${account(f)}`,
    consent: consentSubject(f),
  };
  if (f.template === 'reminder') {
    const topic = lowerFirst(reminder[f.caseKind]);
    return { subject: `Recordatorio de ${f.brand}: ${topic}`, heading: `Recordatorio: ${topic}` };
  }
  const topic = (f.template === 'new_link' ? newLink : first)[f.caseKind];
  return { subject: `${f.brand}: ${lowerFirst(topic)}`, heading: topic };
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string) => `El consentimiento de Open Finance que ${verb} a ${f.brand} ver los datos de ${account(f)}`;
  switch (f.consent) {
    case 'expired':
      return `${what('permitía')} venció.`;
    case 'reconnect':
      return `${f.brand} perdió el acceso a parte de los datos de ${account(f)} y no puede recuperarlo con el consentimiento actual de Open Finance.`;
    case 'unavailable':
      return `${f.institution ?? 'Tu banco'} dejó de compartir por un tiempo parte de los datos de ${account(f)}.`;
    default:
      return f.dueDate ? `${what('permite')} vence el ${f.dueDate}.` : `${what('permite')} vence pronto.`;
  }
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `${f.brand} ya no puede conectarse a ${account(f)}. Lo más probable es que tu contraseña del banco haya cambiado.`,
    mfa: `Para que ${f.brand} siga actualizando los datos de ${account(f)}, tu banco pide una confirmación de seguridad: un código, un token o una aprobación en la app del banco.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function consentAction(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return 'Puedes renovarlo en unos minutos: abre el enlace y confirma la renovación con tu banco.';
    case 'reconnect':
      return 'Para volver a verlos, abre el enlace y conecta tu cuenta otra vez: toma unos minutos y lo confirmas con tu banco.';
    case 'unavailable':
      return 'Abre el enlace para ver el estado de tu conexión y qué puedes hacer.';
    default:
      return 'Renovarlo toma unos minutos: abre el enlace y confirma la renovación con tu banco.';
  }
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'Para volver a conectarla, abre el enlace y escribe tu contraseña actual del banco en la página segura.',
    mfa: 'Ten a la mano tu token o tu celular, abre el enlace y sigue los pasos.',
    consent: consentAction(f),
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.consent === 'expiring') return `Si no lo renuevas a tiempo, ${f.brand} dejará de recibir los saldos y los movimientos de ${account(f)}.`;
  if (f.consent === 'unavailable') return `Mientras tanto, ${f.brand} puede mostrar datos incompletos de ${account(f)}.`;
  if (f.consent) return `Mientras no lo hagas, ${f.brand} no recibirá los saldos ni los movimientos de ${account(f)}.`;
  return `Si no lo haces, ${f.brand} no podrá mostrar los saldos ni los movimientos recientes de ${account(f)}.`;
}

function button(f: CopyFacts): string {
  if (f.consent === 'reconnect') return 'Conectar mi cuenta';
  if (f.consent === 'unavailable') return 'Ver mi conexión';
  const byKind: Record<CaseKind, string> = {
    credentials: 'Actualizar mi conexión',
    mfa: 'Confirmar mi acceso',
    consent: 'Renovar mi consentimiento',
  };
  return byKind[f.caseKind];
}

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Aquí tienes el nuevo enlace que pediste.');
  if (f.template === 'reminder') intro.unshift('Te escribimos hace poco sobre esto y sigue pendiente.');
  return {
    ...subject(f),
    greeting: f.userName ? `Hola, ${f.userName}:` : 'Hola:',
    intro,
    action: action(f),
    button: button(f),
    personal: 'Este enlace es solo para ti y vence pronto por tu seguridad. No lo compartas con nadie.',
    ifIgnored: ifIgnored(f),
    safety: `${f.brand} nunca te pedirá tu contraseña ni tus códigos por teléfono, SMS, correo o WhatsApp. Escríbelos solo en la página segura a la que lleva el enlace, nunca en una respuesta a este correo.`,
    signature: `El equipo de ${f.brand}`,
    supportIntro: `¿Dudas sobre este correo? Contacta a ${f.brand}:`,
    supportLabels: { url: 'Ayuda', email: 'Correo', phone: 'Teléfono' },
    footer: `Recibes este correo porque conectaste ${account(f)} a ${f.brand}.`,
  };
}

// SMS: "<brand>: <text> <link>". The last text of each list is the shortest, written to fit with
// a 20-character brand, a 40-character PUBLIC_URL and a 20-character bank name.

function smsConsent(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `vence el ${f.dueDate}` : 'vence pronto';
  switch (f.consent) {
    case 'expired':
      return [`Tu consentimiento con ${bank} ha vencido. Renuévalo en tu enlace personal:`, `Tu consentimiento con ${bank} ha vencido:`];
    case 'reconnect':
      return [`Conecta otra vez tu cuenta de ${bank} en tu enlace personal:`, `Conecta otra vez tu cuenta de ${bank}:`];
    case 'unavailable':
      return [`${bank} no comparte por ahora parte de tus datos. Mira el estado en:`, `Estado de tus datos de ${bank}:`];
    default:
      return [`Tu consentimiento con ${bank} ${when}. Renuévalo en tu enlace personal:`, `Tu consentimiento con ${bank} ${when}:`];
  }
}

function smsFirst(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      `${bank} ya no acepta la contraseña guardada. Escribe la nueva en tu enlace personal:`,
      `${bank} ya no acepta tu contraseña. Escribe la nueva en:`,
      `${bank} rechaza tu contraseña. Renuévala en:`,
    ],
    mfa: [`${bank} pide confirmar tu acceso. Hazlo en tu enlace personal:`, `${bank} pide confirmar tu acceso. Hazlo en:`],
    consent: smsConsent(f, bank),
  };
  return byKind[f.caseKind];
}

function smsNewLink(f: CopyFacts, bank: string): string[] {
  const purpose: Record<CaseKind, string> = {
    credentials: `actualizar tu contraseña de ${bank}`,
    mfa: `confirmar tu acceso a ${bank}`,
    consent: `tu consentimiento con ${bank}`,
  };
  return [`Tu nuevo enlace personal para ${purpose[f.caseKind]}:`, `Tu nuevo enlace para ${bank}:`];
}

function smsConsentReminder(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `vence el ${f.dueDate}` : 'vence pronto';
  switch (f.consent) {
    case 'expired':
      return [`Recordatorio: tu consentimiento con ${bank} ha vencido. Renuévalo en:`, `Renueva tu consentimiento con ${bank}:`];
    case 'reconnect':
      return [`Recordatorio: conecta otra vez tu cuenta de ${bank} en:`, `Recordatorio: reconecta ${bank}:`];
    case 'unavailable':
      return [`Recordatorio: ${bank} sigue sin compartir parte de tus datos. Mira en:`, `Recordatorio: estado de tus datos de ${bank}:`];
    default:
      return [`Recordatorio: tu consentimiento con ${bank} ${when}. Renuévalo en:`, `Renueva tu consentimiento con ${bank}:`];
  }
}

function smsReminder(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [`Recordatorio: ${bank} sigue sin aceptar tu contraseña. Escribe la nueva en:`, `Recordatorio: tu contraseña de ${bank}:`],
    mfa: [`Recordatorio: ${bank} sigue esperando que confirmes tu acceso en:`, `Recordatorio: confirma tu acceso a ${bank}:`],
    consent: smsConsentReminder(f, bank),
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const bank = f.institution ?? 'tu banco';
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f, bank).map((text) => sentenceStart(text, f.institution));
}

function smsGreeting(name: string): string {
  return `Hola, ${name}. `;
}

// WhatsApp: the texts an operator registers at Twilio. The consent one is worded for every
// consent situation (about to expire, expired, reconnect), since the template is fixed.
const WHATSAPP_LINES: Record<WhatsAppTemplateName, { what: string; todo: string }> = {
  credentials: {
    what: 'La conexión con {{2}} dejó de funcionar: lo más probable es que tu contraseña del banco haya cambiado.',
    todo: 'Para reconectarla, abre tu enlace personal y escribe tu contraseña actual en la página segura',
  },
  mfa: {
    what: 'Para seguir actualizando tus datos, {{2}} pide una confirmación de seguridad.',
    todo: 'Ten a la mano tu token o la app del banco y abre tu enlace personal',
  },
  consent: {
    what: 'Tu consentimiento de Open Finance con {{2}}, que nos permite ver los datos de tu cuenta, necesita tu atención.',
    todo: 'En tu enlace personal ves qué pasó y cómo seguir',
  },
  reminder: {
    what: 'Te recordamos que tu conexión con {{2}} sigue pendiente.',
    todo: 'Resuélvelo en unos minutos en tu enlace personal',
  },
  new_link: {
    what: 'Aquí tienes el nuevo enlace que pediste para tu conexión con {{2}}.',
    todo: 'Ábrelo para continuar',
  },
};

const whatsapp: WhatsAppCopy = {
  greeting: 'Hola, te escribe *{{1}}*.',
  lines: WHATSAPP_LINES,
  tapButton: 'toca el botón de abajo.',
  closing: 'El enlace es solo para ti y vence pronto. Nunca te pediremos tu contraseña por teléfono, SMS ni por este chat.',
  button: 'Abrir mi enlace',
  someBank: 'tu banco',
};

export const esCopy: LocaleCopy = { email, sms, smsGreeting, whatsapp };
