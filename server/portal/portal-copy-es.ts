import type { PortalCopy } from './portal-copy.ts';

export const es: PortalCopy = {
  brand: 'Reconecta tu banco',
  footer: 'Recibiste este enlace porque un servicio que usas consulta los datos de tu banco a través de Belvo.',
  yourBank: 'tu banco',
  privacy: 'Tu contraseña va directo a {institution} a través de Belvo, por una conexión segura. Nunca la guardamos.',
  password: {
    title: 'Reconecta {institution}',
    heading: 'Reconecta {institution}',
    intro:
      'La conexión con tu cuenta de {institution} dejó de funcionar, casi siempre porque cambió la contraseña. Escribe la contraseña con la que entras hoy a {institution}.',
    label: 'Tu contraseña de {institution}',
    label2: 'Tu segunda contraseña',
    hint2: '{institution} también pide una segunda contraseña, como el NIP de tu tarjeta o de operaciones.',
    show: 'Mostrar contraseña',
    submit: 'Reconectar',
    submitting: 'Verificando…',
  },
  mfa: {
    title: 'Confirma que eres tú',
    heading: '{institution} quiere confirmar que eres tú',
    intro: 'Escribe el código que te da {institution} (por SMS, en su app o en tu dispositivo de seguridad).',
    introDevice: 'Aprueba el acceso en la app de {institution} o en tu otro dispositivo y después regresa aquí.',
    introQr: 'Escanea este código QR con la app de {institution} y escribe el código que te muestre.',
    instructionsLabel: 'Lo que indica {institution}',
    valueLabel: 'Referencia',
    qrAlt: 'Código QR para escanear con la app de {institution}',
    qrValueLabel: '¿No puedes escanearlo? Ver el texto del código',
    tokenLabel: 'Código',
    submit: 'Confirmar',
    approved: 'Ya lo aprobé en mi otro dispositivo',
    timeLeftMany: 'Este paso sigue abierto unos {minutes} minutos más.',
    timeLeftOne: 'Este paso sigue abierto 1 minuto más, aproximadamente.',
    timeLeftUnderOne: 'Este paso se cierra en menos de un minuto.',
    timeEnded: 'Este paso se cerró. Vuelve a cargar la página para empezar de nuevo.',
  },
  consent: {
    title: 'Renueva tu consentimiento',
    heading: 'Renueva tu consentimiento con {institution}',
    aboutToExpire: 'Tu consentimiento para compartir los datos de {institution} vence el {date}.',
    aboutToExpireNoDate: 'Tu consentimiento para compartir los datos de {institution} vence pronto.',
    expired: 'Tu consentimiento para compartir los datos de {institution} venció el {date}.',
    expiredNoDate: 'Tu consentimiento para compartir los datos de {institution} ya venció.',
    needsRenewal: 'Tu consentimiento para compartir los datos de {institution} necesita renovarse.',
    explain:
      'Renovarlo toma un minuto en My Belvo Portal: entra, busca {institution} y confirma. Mientras tanto, tus cuentas de {institution} no se pueden actualizar.',
    renew: 'Renovar mi consentimiento',
  },
  alerts: {
    wrongPassword: '{institution} no aceptó esa contraseña.',
    wrongToken: '{institution} no aceptó ese código.',
    needsPassword2: '{institution} también necesita tu segunda contraseña. Escribe las dos abajo.',
    tooManySessions:
      '{institution} indica que ya tienes una sesión abierta en otro lugar. Cierra la app de {institution} y cualquier otra sesión, espera un minuto y vuelve a intentarlo.',
    busy: 'Todavía estamos verificando tu intento anterior. Espera unos segundos y vuelve a cargar esta página.',
    missingPassword: 'Escribe tu contraseña.',
    missingPassword2: 'Escribe también tu segunda contraseña.',
    missingToken: 'Escribe el código.',
    tooLong: 'Es más largo de lo que {institution} acepta. Revísalo e inténtalo de nuevo.',
  },
  triesLeftOne: 'Te queda 1 intento. Si no estás seguro de tu contraseña, revísala antes en la app de {institution}.',
  triesLeftMany: 'Te quedan {tries} intentos.',
  newLink: {
    offer: 'Podemos enviarte uno nuevo al correo o teléfono que tenemos registrado, sin mostrarlo aquí.',
    button: 'Envíame un enlace nuevo',
    sent: 'Un enlace nuevo va en camino al correo o teléfono que tenemos registrado. Puede tardar unos minutos.',
    noContact: 'No tenemos cómo enviarte un enlace nuevo. Contacta al servicio que te pidió conectar tu banco.',
  },
  startAgain: 'Empezar de nuevo',
  openAgain: 'Abrir la página otra vez',
  notices: {
    resolved: {
      title: 'Conectado de nuevo',
      heading: 'Tu cuenta de {institution} está conectada de nuevo',
      body: ['Gracias. No tienes que hacer nada más; puedes cerrar esta página.'],
    },
    alreadyResolved: {
      title: 'Ya está resuelto',
      heading: 'Esto ya está resuelto',
      body: ['Tu conexión con {institution} funciona. No tienes que hacer nada más; puedes cerrar esta página.'],
    },
    failedAfterRetries: {
      title: 'Nos detuvimos para proteger tu cuenta',
      heading: 'Nos detuvimos para proteger tu cuenta',
      body: [
        '{institution} rechazó la contraseña varias veces. Más intentos podrían bloquear tu cuenta de {institution}.',
        'Primero revisa que puedas entrar a la app o al sitio de {institution} y, si hace falta, resuelve tu contraseña con {institution}. Después pide un enlace nuevo al servicio que te pidió conectar tu banco.',
      ],
    },
    caseFailed: {
      title: 'Esta solicitud está cerrada',
      heading: 'Esta solicitud está cerrada',
      body: [
        'No pudimos reconectar tu cuenta de {institution} con este enlace, así que ya no funciona.',
        'Revisa que puedas entrar a la app o al sitio de {institution}. Si la conexión todavía hace falta, el servicio que te pidió conectar tu banco te enviará un enlace nuevo.',
      ],
    },
    caseExpired: {
      title: 'Esta solicitud terminó',
      heading: 'Esta solicitud terminó',
      body: ['Este enlace ya no se usa. Si tu conexión con {institution} todavía necesita atención, recibirás un mensaje nuevo.'],
    },
    linkExpired: {
      title: 'Este enlace venció',
      heading: 'Este enlace venció',
      body: ['Los enlaces funcionan por un tiempo limitado para cuidar tu cuenta.'],
    },
    linkExpiredNoOffer: {
      title: 'Este enlace venció',
      heading: 'Este enlace venció',
      body: [
        'Los enlaces funcionan por un tiempo limitado para cuidar tu cuenta. Pide uno nuevo al servicio que te pidió conectar tu banco.',
      ],
    },
    mfaSessionExpired: {
      title: 'La sesión terminó',
      heading: 'La sesión con {institution} terminó',
      body: [
        '{institution} mantiene este paso abierto solo unos minutos y ese tiempo ya pasó. No se cambió nada.',
        'Empieza de nuevo: escribe tu contraseña y {institution} te pedirá un código nuevo.',
      ],
    },
    institutionDown: {
      title: '{institution} no responde',
      heading: '{institution} no responde en este momento',
      body: [
        'Esto pasa cuando el banco está saturado o en mantenimiento. No se cambió nada.',
        'Inténtalo más tarde con este mismo enlace; sigue funcionando hasta que venza.',
      ],
    },
    serviceError: {
      title: 'Algo salió mal',
      heading: 'Lo sentimos, algo falló de nuestro lado',
      body: [
        'No pudimos completar la verificación con {institution} en este momento. No se cambió nada y no guardamos tu contraseña.',
        'Inténtalo de nuevo en unos minutos con este mismo enlace. Nuestro equipo ya está enterado.',
      ],
    },
    invalid: {
      title: 'Este enlace no funciona',
      heading: 'Este enlace no funciona',
      body: ['Puede estar incompleto o mal escrito. Ábrelo otra vez desde el mensaje que recibiste o copia la dirección completa.'],
    },
    csrf: {
      title: 'Tu página había caducado',
      heading: 'Tu página había caducado',
      body: ['Por tu seguridad, no enviamos lo que escribiste. Abre la página otra vez e inténtalo de nuevo.'],
    },
    tooManyRequests: {
      title: 'Demasiados intentos',
      heading: 'Demasiados intentos',
      body: ['Para cuidar tu cuenta, espera unos minutos antes de volver a intentarlo.'],
    },
    serverError: {
      title: 'Algo salió mal',
      heading: 'Lo sentimos, algo salió mal',
      body: ['No pudimos mostrar esta página. No se cambió nada. Inténtalo de nuevo en unos minutos.'],
    },
  },
};
