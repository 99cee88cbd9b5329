// Brazilian Portuguese, addressing the person as "você". SMS texts avoid ã, õ, ç, ê, á, í, ó, ú
// (outside GSM-7; é and à are inside), so words like "conexão" or "você" stay out of them.
import type { CaseKind } from '../cases/case-types.ts';
import type { CopyFacts, EmailCopy, LocaleCopy } from './message-copy.ts';

const SENDER = 'Seu app financeiro';
const SMS_FROM = 'Seu app financeiro:';

/** Brazilians say "minha conta Itaú": no article to get wrong for the bank's gender. */
function account(f: CopyFacts): string {
  return f.institution ? `sua conta ${f.institution}` : 'sua conta bancária';
}

function consentSubject(f: CopyFacts): string {
  if (f.consentExpired) return `O consentimento da ${account(f)} venceu`;
  return f.dueDate
    ? `O consentimento da ${account(f)} vence em ${f.dueDate}`
    : `O consentimento da ${account(f)} vence em breve`;
}

function subject(f: CopyFacts): string {
  const newLink: Record<CaseKind, string> = {
    credentials: `Seu novo link para atualizar a conexão da ${account(f)}`,
    mfa: `Seu novo link para confirmar o acesso à ${account(f)}`,
    consent: `Seu novo link para renovar o consentimento da ${account(f)}`,
  };
  const first: Record<CaseKind, string> = {
    credentials: `A conexão da ${account(f)} parou de funcionar`,
    mfa: `Confirme o acesso à ${account(f)}`,
    consent: consentSubject(f),
  };
  const reminder: Record<CaseKind, string> = {
    credentials: `Lembrete: a conexão da ${account(f)} continua sem funcionar`,
    mfa: `Lembrete: o banco ainda espera que você confirme o acesso à ${account(f)}`,
    consent: `Lembrete: ${lowerFirst(consentSubject(f))}`,
  };
  const byTemplate = { new_link: newLink, remediation: first, reminder };
  return byTemplate[f.template][f.caseKind];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function consentIntro(f: CopyFacts): string {
  const what = (verb: string) => `O consentimento do Open Finance que ${verb} ao seu app financeiro ver os dados da ${account(f)}`;
  if (f.consentExpired) return `${what('permitia')} venceu.`;
  return f.dueDate ? `${what('permite')} vence em ${f.dueDate}.` : `${what('permite')} vence em breve.`;
}

function situation(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: `Seu app financeiro não consegue mais se conectar à ${account(f)}. O mais provável é que a senha do banco tenha mudado.`,
    mfa: `Para continuar atualizando os dados da ${account(f)}, o banco pede uma confirmação de segurança: um código, um token ou uma aprovação no app do banco.`,
    consent: consentIntro(f),
  };
  return byKind[f.caseKind];
}

function action(f: CopyFacts): string {
  const byKind: Record<CaseKind, string> = {
    credentials: 'Para reconectar, abra o link e digite a senha atual do banco na página segura.',
    mfa: 'Tenha seu token ou seu celular em mãos, abra o link e siga os passos.',
    consent: f.consentExpired
      ? 'Você pode renovar em poucos minutos: abra o link e confirme a renovação com o seu banco.'
      : 'Renovar leva poucos minutos: abra o link e confirme a renovação com o seu banco.',
  };
  return byKind[f.caseKind];
}

function ifIgnored(f: CopyFacts): string {
  if (f.caseKind === 'consent' && f.consentExpired) {
    return `Enquanto você não renovar, seu app financeiro não receberá os saldos e as movimentações da ${account(f)}.`;
  }
  if (f.caseKind === 'consent') {
    return `Se você não renovar a tempo, seu app financeiro deixará de receber os saldos e as movimentações da ${account(f)}.`;
  }
  return `Se você não fizer isso, seu app financeiro não poderá mostrar os saldos e as movimentações recentes da ${account(f)}.`;
}

const SAFETY: Record<CaseKind, string> = {
  credentials: 'Não responda a este e-mail com sua senha: digite-a apenas na página segura indicada neste e-mail.',
  mfa: 'Não responda a este e-mail com códigos ou senhas: digite-os apenas na página segura indicada neste e-mail.',
  consent: 'Nunca pediremos sua senha por e-mail. Não responda a esta mensagem com dados do seu banco.',
};

const BUTTON: Record<CaseKind, string> = {
  credentials: 'Atualizar minha conexão',
  mfa: 'Confirmar meu acesso',
  consent: 'Renovar meu consentimento',
};

function email(f: CopyFacts): EmailCopy {
  const intro = [situation(f)];
  if (f.template === 'new_link') intro.unshift('Aqui está o novo link que você pediu.');
  if (f.template === 'reminder') intro.unshift('Escrevemos há pouco sobre isto e ainda está pendente.');
  return {
    subject: subject(f),
    sender: SENDER,
    greeting: f.userName ? `Olá, ${f.userName}!` : 'Olá!',
    intro,
    action: action(f),
    button: BUTTON[f.caseKind],
    personal: 'Este link é só seu e expira em breve para a sua segurança. Não o compartilhe com ninguém.',
    ifIgnored: ifIgnored(f),
    safety: SAFETY[f.caseKind],
    footer: `Você recebe este e-mail porque conectou a ${account(f)} ao seu app financeiro.`,
  };
}

function smsConsent(f: CopyFacts): string[] {
  const named = f.institution ? `o consentimento da sua conta ${f.institution}` : undefined;
  const when = f.consentExpired ? 'venceu' : f.dueDate ? `vence em ${f.dueDate}` : 'vence em breve';
  const texts = [
    `${SMS_FROM} seu consentimento ${when}. Renove no seu link pessoal:`,
    `${SMS_FROM} seu consentimento ${when}. Renove no seu link:`,
    `${SMS_FROM} seu consentimento ${when}. Renove aqui:`,
  ];
  if (named) texts.unshift(`${SMS_FROM} ${named} ${when}. Renove no seu link pessoal:`);
  return texts;
}

function smsFirst(f: CopyFacts): string[] {
  const inst = f.institution;
  const byKind: Record<CaseKind, () => string[]> = {
    credentials: () => [
      `${SMS_FROM} a senha salva da ${inst ? `sua conta ${inst}` : 'sua conta'} deixou de funcionar. Digite a nova no seu link pessoal:`,
      ...(inst ? [`${SMS_FROM} atualize a senha da sua conta ${inst} no seu link pessoal:`] : []),
      `${SMS_FROM} atualize a senha do banco no seu link pessoal:`,
    ],
    mfa: () => [
      ...(inst ? [`${SMS_FROM} confirme o acesso à sua conta ${inst} no seu link pessoal:`] : []),
      `${SMS_FROM} confirme seu acesso ao banco no seu link pessoal:`,
    ],
    consent: () => smsConsent(f),
  };
  return byKind[f.caseKind]();
}

function smsNewLink(f: CopyFacts): string[] {
  const purpose: Record<CaseKind, (bank?: string) => string> = {
    credentials: (bank) => (bank ? `atualizar a senha da sua conta ${bank}` : 'atualizar a senha do banco'),
    mfa: (bank) => (bank ? `confirmar o acesso à sua conta ${bank}` : 'confirmar seu acesso'),
    consent: (bank) => (bank ? `renovar o consentimento da sua conta ${bank}` : 'renovar o consentimento'),
  };
  const forBank = purpose[f.caseKind];
  return [...new Set([forBank(f.institution), forBank()])].map((p) => `${SMS_FROM} seu novo link pessoal para ${p}:`);
}

function smsReminder(f: CopyFacts): string[] {
  const inst = f.institution;
  const when = f.consentExpired ? 'venceu' : f.dueDate ? `vence em ${f.dueDate}` : 'vence em breve';
  const byKind: Record<CaseKind, string[]> = {
    credentials: [
      ...(inst ? [`${SMS_FROM} lembrete: atualize a senha da sua conta ${inst} no seu link pessoal:`] : []),
      `${SMS_FROM} lembrete: atualize a senha do banco no seu link:`,
    ],
    mfa: [
      ...(inst ? [`${SMS_FROM} lembrete: confirme o acesso à sua conta ${inst} no seu link pessoal:`] : []),
      `${SMS_FROM} lembrete: confirme seu acesso ao banco no seu link:`,
    ],
    consent: [
      ...(inst ? [`${SMS_FROM} lembrete, renove o consentimento da sua conta ${inst}, ${when}:`] : []),
      `${SMS_FROM} lembrete, renove seu consentimento, ${when}:`,
    ],
  };
  return byKind[f.caseKind];
}

function sms(f: CopyFacts): string[] {
  const byTemplate = { new_link: smsNewLink, remediation: smsFirst, reminder: smsReminder };
  return byTemplate[f.template](f);
}

function smsGreeting(name: string): string {
  return `Oi, ${name}. `;
}

export const ptBrCopy: LocaleCopy = { email, sms, smsGreeting };
