// The words of the Connect widget offer, what the page says when the user comes back from the
// widget, and the consent journeys' extra lines (days left, a connection that ended), per language.
// Kept apart from portal-copy-*.ts so each journey's words sit together; composed for the
// institution's display name, or for "your bank" when it is unknown, as portal-copy does.
import type { Locale } from '../i18n/locale.ts';

export interface JourneyCopy {
  widget: {
    /** Above the button: why this is the easy way. */
    intro: string;
    button: string;
    /** Between the widget's button and our own form. */
    orPassword: string;
    orToken: string;
    reconnectIntro: string;
    reconnectButton: string;
    /** role="status": the user closed the widget. */
    exited: string[];
    /** role="alert": the widget reported an error. */
    failed: string[];
    /** role="alert": the success callback could not be confirmed with Belvo. */
    notConfirmed: string[];
    /** role="alert": Belvo gave us no widget token. */
    unavailable: string[];
  };
  consent: {
    daysLeftMany: string;
    daysLeftOne: string;
    lastDay: string;
    unrecoverableTitle: string;
    unrecoverableHeading: string;
    unrecoverableStatus: string;
    unrecoverableExplain: string;
    /** When the operator turned the widget off: no way to connect again from this page. */
    unrecoverableNoWidget: string;
  };
}

function es(institution: string | null): JourneyCopy {
  const bank = institution ?? 'tu banco';
  const withBank = institution ? `con ${institution}` : 'con tu banco';
  return {
    widget: {
      intro: 'La forma más rápida: reconecta tu cuenta en la ventana segura de Belvo.',
      button: 'Continuar con Belvo',
      orPassword: 'O escribe tu nueva contraseña aquí:',
      orToken: 'O escribe el código aquí:',
      reconnectIntro: 'Conecta tu cuenta de nuevo en la ventana segura de Belvo. Toma un minuto.',
      reconnectButton: 'Conectar de nuevo',
      exited: ['Saliste de la ventana de Belvo antes de terminar. No cambió nada.', 'Puedes intentarlo de nuevo cuando quieras.'],
      failed: [`Belvo no pudo reconectar tu cuenta ${withBank}. No cambió nada.`, 'Inténtalo de nuevo en unos minutos.'],
      notConfirmed: ['No pudimos confirmar con Belvo que tu cuenta quedó conectada.', 'Inténtalo de nuevo desde esta página.'],
      unavailable: ['La ventana de Belvo no está disponible en este momento.', 'Inténtalo de nuevo en unos minutos.'],
    },
    consent: {
      daysLeftMany: 'Quedan {days} días.',
      daysLeftOne: 'Queda 1 día.',
      lastDay: 'Hoy es el último día.',
      unrecoverableTitle: 'Tu conexión terminó',
      unrecoverableHeading: `Tu conexión ${withBank} terminó`,
      unrecoverableStatus: `Las cuentas de esta conexión ya no están disponibles en ${bank}, así que no se puede renovar.`,
      unrecoverableExplain: 'Para que tu app financiera siga usando tus datos, hace falta una conexión nueva.',
      unrecoverableNoWidget: 'Si quieres que tu app financiera siga usando tus datos, contacta a su equipo de soporte para conectarte de nuevo.',
    },
  };
}

function ptBr(institution: string | null): JourneyCopy {
  const inBank = institution ? `no ${institution}` : 'no seu banco';
  const withBank = institution ? `com ${institution}` : 'com seu banco';
  return {
    widget: {
      intro: 'O jeito mais rápido: reconecte sua conta na janela segura da Belvo.',
      button: 'Continuar com a Belvo',
      orPassword: 'Ou digite sua nova senha aqui:',
      orToken: 'Ou digite o código aqui:',
      reconnectIntro: 'Conecte sua conta novamente na janela segura da Belvo. Leva um minuto.',
      reconnectButton: 'Conectar novamente',
      exited: ['Você saiu da janela da Belvo antes de terminar. Nada foi alterado.', 'Você pode tentar de novo quando quiser.'],
      failed: [`A Belvo não conseguiu reconectar sua conta ${withBank}. Nada foi alterado.`, 'Tente de novo em alguns minutos.'],
      notConfirmed: ['Não conseguimos confirmar com a Belvo que sua conta foi conectada.', 'Tente de novo a partir desta página.'],
      unavailable: ['A janela da Belvo não está disponível agora.', 'Tente de novo em alguns minutos.'],
    },
    consent: {
      daysLeftMany: 'Faltam {days} dias.',
      daysLeftOne: 'Falta 1 dia.',
      lastDay: 'Hoje é o último dia.',
      unrecoverableTitle: 'Sua conexão terminou',
      unrecoverableHeading: `Sua conexão ${withBank} terminou`,
      unrecoverableStatus: `As contas desta conexão não estão mais disponíveis ${inBank}, então ela não pode ser renovada.`,
      unrecoverableExplain: 'Para o seu app financeiro continuar usando seus dados, é preciso uma nova conexão.',
      unrecoverableNoWidget: 'Se quiser que o seu app financeiro continue usando seus dados, fale com o suporte dele para conectar novamente.',
    },
  };
}

function en(institution: string | null): JourneyCopy {
  const bank = institution ?? 'your bank';
  return {
    widget: {
      intro: "The quickest way: reconnect your account in Belvo's secure window.",
      button: 'Continue with Belvo',
      orPassword: 'Or type your new password here:',
      orToken: 'Or type the code here:',
      reconnectIntro: "Connect your account again in Belvo's secure window. It takes a minute.",
      reconnectButton: 'Connect again',
      exited: ["You left Belvo's window before finishing. Nothing was changed.", 'You can try again whenever you like.'],
      failed: [`Belvo couldn't reconnect your account with ${bank}. Nothing was changed.`, 'Please try again in a few minutes.'],
      notConfirmed: ["We couldn't confirm with Belvo that your account is connected.", 'Please try again from this page.'],
      unavailable: ["Belvo's window isn't available right now.", 'Please try again in a few minutes.'],
    },
    consent: {
      daysLeftMany: '{days} days left.',
      daysLeftOne: '1 day left.',
      lastDay: 'Today is the last day.',
      unrecoverableTitle: 'Your connection ended',
      unrecoverableHeading: `Your connection to ${bank} ended`,
      unrecoverableStatus: `The accounts behind it are no longer available at ${bank}, so it can't be renewed.`,
      unrecoverableExplain: 'For your financial app to keep using your data, it needs a new connection.',
      unrecoverableNoWidget: "If you want your financial app to keep using your data, contact its support team to connect again.",
    },
  };
}

const COPY: Record<Locale, (institution: string | null) => JourneyCopy> = { es, 'pt-BR': ptBr, en };

export function journeyCopyFor(locale: Locale, institution: string | null): JourneyCopy {
  return COPY[locale](institution);
}
