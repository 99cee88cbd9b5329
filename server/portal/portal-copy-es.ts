// Neutral Latin-American Spanish, addressing the person as "tú". Spanish names a bank without an
// article ("entra a Banorte", "la app de Bancolombia"), so the unknown name only needs its own
// words where it starts a sentence or stands for the account.
import type { PortalCopy } from './portal-copy.ts';

interface Bank {
  /** Inside a sentence: "a Banorte" / "a tu banco". */
  name: string;
  /** At the start of a sentence. */
  Name: string;
  account: string;
  Account: string;
}

function bankOf(institution: string | null): Bank {
  if (!institution) return { name: 'tu banco', Name: 'Tu banco', account: 'tu cuenta bancaria', Account: 'Tu cuenta bancaria' };
  return { name: institution, Name: institution, account: `tu cuenta de ${institution}`, Account: `Tu cuenta de ${institution}` };
}

const CONTACT = 'al correo o al celular que tenemos registrado';

export function esCopy(institution: string | null, brand: string): PortalCopy {
  const bank = bankOf(institution);
  const support = `contacta al soporte de ${brand}`;
  return {
    footer: `Recibiste este enlace porque ${brand} usa Belvo para consultar los datos de tu banco.`,
    neverAsk: `${brand} nunca te pedirá tu contraseña por teléfono, por SMS ni como respuesta de WhatsApp.`,
    support: {
      heading: '¿Necesitas ayuda?',
      intro: `Contacta a ${brand}:`,
      fallback: `Contacta al soporte de ${brand} desde su app o su sitio web.`,
      labels: { url: 'Centro de ayuda', email: 'Correo', phone: 'Teléfono' },
    },
    retry: { at: 'Puedes volver a intentarlo a partir de las {time}, con este mismo enlace.', button: 'Intentar de nuevo' },
    password: {
      title: `Reconecta ${bank.account}`,
      heading: `Reconecta ${bank.account}`,
      intro: `La conexión con ${bank.account} dejó de funcionar, casi siempre porque la contraseña cambió. Escribe la contraseña que usas hoy para entrar a ${bank.name}.`,
      label: institution ? `Tu contraseña de ${institution}` : 'Tu contraseña del banco',
      label2: 'Tu segunda contraseña',
      hint2: `${bank.Name} pide una segunda contraseña para entrar a la banca en línea. Escríbela tal como la escribes en la app o el sitio web de ${bank.name}.`,
      reveal: 'Mostrar',
      revealWhat: 'contraseña',
      revealWhat2: 'segunda contraseña',
      submit: 'Reconectar',
      submitting: 'Verificando…',
      privacy: `Tu contraseña va directo a ${bank.name} a través de Belvo, por una conexión segura. Nunca la guardamos.`,
    },
    mfa: {
      title: 'Confirma que eres tú',
      heading: `${bank.Name} quiere confirmar que eres tú`,
      intro: `Escribe el código de seguridad de ${bank.name}. Puede llegarte por SMS o aparecer en su app o en tu token.`,
      introDevice: `Aprueba el acceso en la app de ${bank.name} o en tu token. Después regresa a esta página y toca “Ya lo aprobé”.`,
      introQr: `Escanea este código QR con la app de ${bank.name} y escribe el código que te muestre.`,
      qrOtherScreen:
        'Si la app está en este mismo celular, abre el enlace de tu mensaje en otra pantalla, como una computadora, para poder escanearlo.',
      instructionsLabel: `En palabras de ${bank.name}:`,
      valueLabel: 'Referencia',
      qrAlt: `Código QR para escanear con la app de ${bank.name}`,
      qrValueLabel: '¿No puedes escanearlo? Ver el código como texto',
      tokenLabel: 'Código',
      submit: 'Confirmar',
      approved: 'Ya lo aprobé',
      timeLeftMany: 'Te quedan unos {minutes} minutos para terminar este paso.',
      timeLeftOne: 'Te queda más o menos 1 minuto para terminar este paso.',
      timeLeftUnderOne: 'Te queda menos de un minuto para terminar este paso.',
      timeEnded: 'Se acabó el tiempo para este paso. Abre otra vez el enlace de tu mensaje para empezar de nuevo.',
    },
    consent: {
      title: 'Renueva tu consentimiento',
      heading: `Renueva tu consentimiento con ${bank.name}`,
      aboutToExpire: 'Tu consentimiento vence el {date}.',
      aboutToExpireNoDate: 'Tu consentimiento vence pronto.',
      expired: 'Tu consentimiento venció el {date}.',
      expiredNoDate: 'Tu consentimiento ya venció.',
      needsRenewal: 'Tu consentimiento necesita renovarse.',
      explain: `Sin un consentimiento vigente, ${brand} no puede actualizar los datos de ${bank.account}. Renovarlo toma un minuto en My Belvo Portal, el sitio de Belvo.`,
      renew: 'Renovar mi consentimiento',
      renewDirect: `El botón te lleva directo a este consentimiento: confírmalo con ${bank.name} y listo.`,
      renewLanding: `En My Belvo Portal, entra con tu CPF y confirma que eres tú con cualquier banco donde tengas cuenta. Después abre “Meus compartilhamentos”, elige el consentimiento con ${bank.name} que le diste a ${brand} y renuévalo.`,
      renewUnavailable: ['No pudimos abrir My Belvo Portal para este consentimiento en este momento. No cambió nada.', 'Inténtalo de nuevo en unos minutos, o abre la página de inicio de My Belvo Portal y busca ahí el consentimiento.'],
      openLanding: 'Abrir la página de inicio de My Belvo Portal',
      daysLeftMany: 'Quedan {days} días.',
      daysLeftOne: 'Queda 1 día.',
      lastDay: 'Hoy es el último día.',
      unrecoverableTitle: 'Tu conexión terminó',
      unrecoverableHeading: `Tu conexión con ${bank.name} terminó`,
      unrecoverableStatus: `Las cuentas de esta conexión ya no están disponibles en ${bank.name}, así que no se puede renovar.`,
      unrecoverableExplain: `Para que ${brand} siga usando tus datos, hace falta una conexión nueva.`,
      unrecoverableInApp: `Para que tus datos sigan al día, abre la app de ${brand} y conecta otra vez ${bank.account} desde ahí. Si no encuentras cómo, ${support}.`,
    },
    widget: {
      intro: 'La forma más rápida: reconecta tu cuenta en la ventana segura de Belvo.',
      button: 'Continuar con Belvo',
      orPassword: 'O escribe tu nueva contraseña aquí:',
      orToken: 'O escribe el código aquí:',
      orApprove: 'O, cuando ya lo hayas aprobado, avísanos aquí:',
      instead: '¿Prefieres la ventana segura de Belvo? Te pedirá otra vez tu contraseña.',
      reconnectIntro: 'Conecta tu cuenta de nuevo en la ventana segura de Belvo. Toma un minuto.',
      reconnectButton: 'Conectar de nuevo',
      exited: ['Saliste de la ventana de Belvo antes de terminar. No cambió nada.', 'Puedes intentarlo de nuevo cuando quieras.'],
      failed: [`Belvo no pudo reconectar tu cuenta con ${bank.name}. No cambió nada.`, 'Inténtalo de nuevo en unos minutos.'],
      notConfirmed: ['No pudimos confirmar con Belvo que tu cuenta quedó conectada.', 'Inténtalo de nuevo desde esta página.'],
      unavailable: ['La ventana de Belvo no está disponible en este momento.', 'Inténtalo de nuevo en unos minutos.'],
    },
    alerts: {
      wrongPassword: `${bank.Name} no aceptó esa contraseña.`,
      wrongToken: `${bank.Name} no aceptó ese código.`,
      needsPassword2: `${bank.Name} también necesita tu segunda contraseña. Escribe las dos abajo.`,
      tooManySessions: `${bank.Name} indica que ya tienes una sesión abierta en otro lugar. Cierra la app de ${bank.name} y cualquier otra sesión, espera un minuto y vuelve a intentarlo.`,
      busy: 'Todavía estamos verificando tu intento anterior. Espera unos segundos y vuelve a cargar esta página para ver el resultado.',
      missingPassword: 'Escribe tu contraseña.',
      missingPassword2: 'Escribe también tu segunda contraseña.',
      missingToken: 'Escribe el código.',
      tooLong: 'Lo que escribiste es demasiado largo. Revísalo e inténtalo de nuevo.',
    },
    triesLeftMany: 'Te quedan {tries} intentos antes de que nos detengamos para proteger tu cuenta.',
    triesLeftOne: 'Te queda 1 intento.',
    lastTryTip: {
      password: `Antes de usarlo, confirma que puedes entrar a la app de ${bank.name} con esa contraseña.`,
      token: 'Antes de usarlo, revisa que sea el código más reciente.',
    },
    newLink: {
      offer: `Podemos enviarte uno nuevo ${CONTACT}.`,
      button: 'Envíame un enlace nuevo',
      sent: [`Te estamos enviando un enlace nuevo ${CONTACT}. Puede tardar unos minutos en llegar.`, 'Cuando llegue, ábrelo desde ese mensaje.'],
      noContact: `No tenemos un correo ni un celular para enviarte un enlace nuevo. Si todavía necesitas reconectar ${bank.account}, ${support}.`,
    },
    startAgain: 'Empezar de nuevo',
    openAgain: 'Abrir la página otra vez',
    notices: {
      resolved: {
        title: 'Cuenta conectada',
        heading: `${bank.Account} está conectada de nuevo`,
        body: [`Listo, ${brand} ya puede volver a actualizar tus datos. No tienes que hacer nada más; puedes cerrar esta página.`],
      },
      alreadyResolved: {
        title: 'Cuenta conectada',
        heading: `${bank.Account} ya está conectada`,
        body: ['La conexión ya funciona, así que este enlace ya no hace falta. No tienes que hacer nada más; puedes cerrar esta página.'],
      },
      failedAfterRetries: {
        title: 'Nos detuvimos para proteger tu cuenta',
        heading: 'Nos detuvimos para proteger tu cuenta',
        body: [
          `${bank.Name} rechazó varios intentos seguidos. Más intentos podrían bloquear tu cuenta, así que cerramos este enlace.`,
          `Primero confirma que puedes entrar a la app o al sitio web de ${bank.name}; si no puedes, recupera tu contraseña allí. Después, ${support} para recibir un enlace nuevo.`,
        ],
      },
      caseFailed: {
        title: 'Cerramos este enlace',
        heading: 'Cerramos este enlace',
        body: [
          `No pudimos reconectar ${bank.account} con este enlace, así que lo cerramos para proteger tu cuenta.`,
          `Confirma que puedes entrar a la app o al sitio web de ${bank.name}. Después, ${support} para recibir un enlace nuevo.`,
        ],
      },
      caseExpired: {
        title: 'Este enlace ya no está activo',
        heading: 'Este enlace ya no está activo',
        body: [`No tienes que hacer nada aquí. Si la conexión con ${bank.name} todavía necesita atención, te enviaremos un mensaje nuevo.`],
      },
      linkExpired: {
        title: 'Este enlace venció',
        heading: 'Este enlace venció',
        body: ['Por seguridad, los enlaces solo funcionan por un tiempo limitado.'],
      },
      linkExpiredNoOffer: {
        title: 'Este enlace venció',
        heading: 'Este enlace venció',
        body: [
          'Por seguridad, los enlaces solo funcionan por un tiempo limitado.',
          `Si todavía necesitas reconectar ${bank.account}, ${support}.`,
        ],
      },
      mfaSessionExpired: {
        title: 'Se acabó el tiempo',
        heading: 'Se acabó el tiempo para confirmar que eres tú',
        body: [
          `${bank.Name} da solo unos minutos para este paso y ese tiempo ya pasó. No se cambió nada.`,
          `Toca “Empezar de nuevo” y escribe otra vez tu contraseña: ${bank.name} te pedirá confirmar que eres tú.`,
        ],
      },
      institutionDown: {
        title: `${bank.Name} no responde`,
        heading: `${bank.Name} no responde en este momento`,
        body: ['Suele pasar cuando el banco tiene mucha demanda o está en mantenimiento. No se cambió nada.'],
      },
      bankTimedOut: {
        title: `${bank.Name} tardó demasiado`,
        heading: `${bank.Name} tardó demasiado en responder`,
        body: ['Pasa de vez en cuando si el banco tiene mucha demanda. No se cambió nada y no contó como uno de tus intentos.'],
      },
      institutionInactive: {
        title: `${bank.Name} ya no se puede conectar`,
        heading: `${bank.Name} ya no se puede conectar`,
        body: [
          `Belvo, el servicio que usa ${brand} para conectarse con los bancos, ya no trabaja con ${bank.name}, así que este enlace no puede arreglar la conexión. No se cambió nada.`,
          `Contacta al soporte de ${brand} para saber qué puedes hacer en su lugar.`,
        ],
      },
      linkUnusable: {
        title: 'Esta conexión no se puede arreglar aquí',
        heading: 'Esta conexión no se puede arreglar desde esta página',
        body: [
          `La conexión con ${bank.account} ya no se puede actualizar, así que cerramos este enlace. No se cambió nada.`,
          `Para conectarla de nuevo, abre la app de ${brand} y agrega ${bank.account} desde ahí. Si no encuentras cómo, ${support}.`,
        ],
      },
      serviceError: {
        title: 'Algo salió mal',
        heading: 'Lo sentimos, algo falló de nuestro lado',
        body: [`No pudimos completar la verificación con ${bank.name}. No se cambió nada y no guardamos tu contraseña.`],
      },
      invalid: {
        title: 'Este enlace no funciona',
        heading: 'Este enlace no funciona',
        body: [
          'Puede estar incompleto o tener un error. Ábrelo otra vez desde el mensaje que recibiste; si lo copiaste, revisa que esté completo.',
        ],
      },
      csrf: {
        title: 'Esta página había vencido',
        heading: 'Esta página había vencido',
        body: [
          `Por tu seguridad, no enviamos a ${bank.name} lo que escribiste. Esto pasa cuando la página queda abierta mucho tiempo o cuando tu navegador no guarda cookies.`,
          'Abre la página otra vez y vuelve a intentarlo.',
        ],
      },
      tooManyRequests: {
        title: 'Demasiados intentos',
        heading: 'Demasiados intentos',
        body: [`Para proteger tu cuenta, pausamos los intentos desde esta página por unos minutos. No se envió nada a ${bank.name}.`],
      },
      serverError: {
        title: 'Algo salió mal',
        heading: 'Lo sentimos, algo salió mal',
        body: ['Tuvimos un problema de nuestro lado. Espera unos minutos y después abre otra vez el enlace de tu mensaje.'],
      },
    },
  };
}
