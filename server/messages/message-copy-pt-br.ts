// Brazilian Portuguese, addressing the person as "você". SMS texts avoid ã, õ, ç, ê, á, í, ó, ú
// (outside GSM-7; é and à are inside), so words like "conexão" or "você" stay out of them.
import type { CaseKind } from '../cases/case-types.ts';
import type { WhatsAppTemplateName } from '../channels/channel.ts';
import { lowerFirst, sentenceStart } from './copy-text.ts';
import type { CopyFacts, EmailCopy, LocaleCopy, WhatsAppCopy } from './message-copy.ts';

/** Brazilians say "minha conta Itaú": no article to get wrong for the bank's gender. */
function account(f: CopyFacts): string {
  return f.institution ? `sua conta ${f.institution}` : 'sua conta bancária';
}

function consentSubject(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return `O consentimento da ${account(f)} venceu`;
    case 'reconnect':
      return `Conecte de novo a ${account(f)}`;
    case 'unavailable':
      return `Parte dos dados da ${account(f)} está indisponível`;
    default:
      return f.dueDate ? `O consentimento da ${account(f)} vence em ${f.dueDate}` : `O consentimento da ${account(f)} vence em breve`;
  }
}

/** The subject names the brand; the heading inside the e-mail, under the brand's header, need not. */
function subject(f: CopyFacts): { subject: string; heading: string } {
  const newLink: Record<CaseKind, string> = {
    credentials: `Seu novo link para atualizar a conexão da ${account(f)}`,
    mfa: `Seu novo link para confirmar o acesso à ${account(f)}`,
    consent: `Seu novo link para o consentimento da ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `A conexão da ${account(f)} parou de funcionar`,
    mfa: `Confirme o acesso à ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `A conexão da ${account(f)} continua sem funcionar`,
    mfa: `O banco ainda espera que você confirme o acesso à ${account(f)}`,
    consent: consentSubject(f),
  };
  if (f.template === 'reminder') {
    const topic = lowerFirst(reminder[f.caseKind]);
    return { subject: `Lembrete de ${f.brand}: ${topic}`, heading: `Lembrete: ${topic}` };
  }
  const topic = (f.template === 'new_link' ? newLink : first)[f.caseKind];
  return { subject: `${f.brand}: ${lowerFirst(topic)}`, heading: topic };
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string, see: string) => `O consentimento do Open Finance que ${verb} que ${f.brand} ${see} os dados da ${account(f)}`;
  switch (f.consent) {
    case 'expired':
      return `${what('permitia', 'visse')} venceu.`;
    case 'reconnect':
      return `${f.brand} perdeu o acesso a parte dos dados da ${account(f)} e não consegue recuperá-lo com o consentimento atual do Open Finance.`;
    case 'unavailable':
      return `${f.institution ?? 'O banco'} deixou de compartilhar por um tempo parte dos dados da ${account(f)}.`;
    default:
      return f.dueDate ? `${what('permite', 'veja')} vence em ${f.dueDate}.` : `${what('permite', 'veja')} vence em breve.`;
  }
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `${f.brand} não consegue mais se conectar à ${account(f)}. O mais provável é que a senha do banco tenha mudado.`,
    mfa: `Para que ${f.brand} continue atualizando os dados da ${account(f)}, o banco pede uma confirmação de segurança: um código, um token ou uma aprovação no app do banco.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function consentAction(f: CopyFacts): string {
  switch (f.consent) {
    case 'expired':
      return 'Você pode renovar em poucos minutos: abra o link e confirme a renovação com o seu banco.';
    case 'reconnect':
      return 'Para voltar a vê-los, abra o link e conecte sua conta de novo: leva poucos minutos e você confirma com o seu banco.';
    case 'unavailable':
      return 'Abra o link para ver como está sua conexão e o que você pode fazer.';
    default:
      return 'Renovar leva poucos minutos: abra o link e confirme a renovação com o seu banco.';
  }
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'Para reconectar, abra o link e digite a senha atual do banco na página segura.',
    mfa: 'Tenha seu token ou seu celular em mãos, abra o link e siga os passos.',
    consent: consentAction(f),
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.consent === 'expiring') return `Se você não renovar a tempo, ${f.brand} deixará de receber os saldos e as movimentações da ${account(f)}.`;
  if (f.consent === 'unavailable') return `Enquanto isso, ${f.brand} pode mostrar dados incompletos da ${account(f)}.`;
  if (f.consent) return `Enquanto você não fizer isso, ${f.brand} não receberá os saldos e as movimentações da ${account(f)}.`;
  return `Se você não fizer isso, ${f.brand} não poderá mostrar os saldos e as movimentações recentes da ${account(f)}.`;
}

function button(f: CopyFacts): string {
  if (f.consent === 'reconnect') return 'Conectar minha conta';
  if (f.consent === 'unavailable') return 'Ver minha conexão';
  const byKind: Record<CaseKind, string> = {
    credentials: 'Atualizar minha conexão',
    mfa: 'Confirmar meu acesso',
    consent: 'Renovar meu consentimento',
  };
  return byKind[f.caseKind];
}

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Aqui está o novo link que você pediu.');
  if (f.template === 'reminder') intro.unshift('Escrevemos há pouco sobre isto e ainda está pendente.');
  return {
    ...subject(f),
    greeting: f.userName ? `Olá, ${f.userName}!` : 'Olá!',
    intro,
    action: action(f),
    button: button(f),
    personal: 'Este link é só seu e expira em breve para a sua segurança. Não o compartilhe com ninguém.',
    ifIgnored: ifIgnored(f),
    safety: `${f.brand} nunca pede sua senha ou seus códigos por telefone, SMS, e-mail ou WhatsApp. Digite-os apenas na página segura aberta pelo link, nunca em uma resposta a este e-mail.`,
    signature: `Equipe ${f.brand}`,
    supportIntro: `Dúvidas sobre este e-mail? Fale com ${f.brand}:`,
    supportLabels: { url: 'Ajuda', email: 'E-mail', phone: 'Telefone' },
    footer: `Você recebe este e-mail porque conectou a ${account(f)} ao serviço ${f.brand}.`,
  };
}

// SMS: "<brand>: <text> <link>". The last text of each list is the shortest, written to fit with
// a 20-character brand, a 40-character PUBLIC_URL and a 20-character bank name.

function smsConsent(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `vence em ${f.dueDate}` : 'vence em breve';
  switch (f.consent) {
    case 'expired':
      return [`Seu consentimento com ${bank} venceu. Renove no seu link pessoal:`, `Seu consentimento com ${bank} venceu:`];
    case 'reconnect':
      return [`Conecte de novo sua conta ${bank} no seu link pessoal:`, `Conecte de novo sua conta ${bank}:`];
    case 'unavailable':
      return [`${bank} parou de compartilhar parte dos seus dados por enquanto. Veja em:`, `Status dos seus dados de ${bank}:`];
    default:
      return [`Seu consentimento com ${bank} ${when}. Renove no seu link pessoal:`, `Seu consentimento com ${bank} ${when}:`];
  }
}

function smsFirst(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      `${bank} recusou sua senha salva. Digite a nova no seu link pessoal:`,
      `${bank} recusou sua senha. Digite a nova em:`,
      `${bank} recusou sua senha. Atualize em:`,
    ],
    mfa: [`${bank} pede para confirmar seu acesso. Confirme no seu link pessoal:`, `${bank} pede para confirmar seu acesso:`],
    consent: smsConsent(f, bank),
  };
  return byKind[f.caseKind];
}

function smsNewLink(f: CopyFacts, bank: string): string[] {
  const purpose: Record<CaseKind, string> = {
    credentials: `atualizar a senha de ${bank}`,
    mfa: `confirmar seu acesso em ${bank}`,
    consent: `o consentimento com ${bank}`,
  };
  return [`Seu novo link pessoal para ${purpose[f.caseKind]}:`, `Seu novo link para ${bank}:`];
}

function smsConsentReminder(f: CopyFacts, bank: string): string[] {
  const when = f.dueDate ? `vence em ${f.dueDate}` : 'vence em breve';
  switch (f.consent) {
    case 'expired':
      return [`Lembrete: seu consentimento com ${bank} venceu. Renove em:`, `Renove seu consentimento com ${bank}:`];
    case 'reconnect':
      return [`Lembrete: conecte de novo sua conta ${bank} no seu link:`, `Lembrete: conecte de novo sua conta ${bank}:`];
    case 'unavailable':
      return [`Lembrete: ${bank} segue sem compartilhar parte dos seus dados. Veja em:`, `Lembrete: status dos seus dados de ${bank}:`];
    default:
      return [`Lembrete: seu consentimento com ${bank} ${when}. Renove em:`, `Renove seu consentimento com ${bank}:`];
  }
}

function smsReminder(f: CopyFacts, bank: string): string[] {
  const byKind: Record<CaseKind, string[]> = {
    credentials: [`Lembrete: ${bank} ainda recusa sua senha. Digite a nova em:`, `Lembrete: atualize sua senha de ${bank}:`],
    mfa: [`Lembrete: ${bank} ainda espera que confirme seu acesso em:`, `Lembrete: confirme seu acesso em ${bank}:`],
    consent: smsConsentReminder(f, bank),
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const bank = f.institution ?? 'seu banco';
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f, bank).map((text) => sentenceStart(text, f.institution));
}

function smsGreeting(name: string): string {
  return `Oi, ${name}. `;
}

// WhatsApp: the texts an operator registers at Twilio. The consent one is worded for every
// consent situation (about to expire, expired, reconnect), since the template is fixed.
const WHATSAPP_LINES: Record<WhatsAppTemplateName, { what: string; todo: string }> = {
  credentials: {
    what: 'A conexão com {{2}} parou de funcionar: o mais provável é que a senha do banco tenha mudado.',
    todo: 'Para reconectar, abra seu link pessoal e digite a senha atual na página segura',
  },
  mfa: {
    what: 'Para continuar atualizando seus dados, {{2}} pede uma confirmação de segurança.',
    todo: 'Tenha seu token ou o app do banco em mãos e abra seu link pessoal',
  },
  consent: {
    what: 'Seu consentimento do Open Finance com {{2}}, que nos permite ver os dados da sua conta, precisa da sua atenção.',
    todo: 'No seu link pessoal você vê o que aconteceu e como continuar',
  },
  reminder: {
    what: 'Lembramos que sua conexão com {{2}} continua pendente.',
    todo: 'Resolva em poucos minutos no seu link pessoal',
  },
  new_link: {
    what: 'Aqui está o novo link que você pediu para sua conexão com {{2}}.',
    todo: 'Abra-o para continuar',
  },
};

const whatsapp: WhatsAppCopy = {
  greeting: 'Olá! Esta mensagem é de *{{1}}*.',
  lines: WHATSAPP_LINES,
  tapButton: 'toque no botão abaixo.',
  closing: 'O link é só seu e expira em breve. Nunca pediremos sua senha por telefone, SMS ou por este chat.',
  button: 'Abrir meu link',
  someBank: 'seu banco',
};

export const ptBrCopy: LocaleCopy = { email, sms, smsGreeting, whatsapp };
