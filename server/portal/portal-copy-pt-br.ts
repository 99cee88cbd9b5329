import type { PortalCopy } from './portal-copy.ts';

export const ptBR: PortalCopy = {
  brand: 'Reconecte seu banco',
  footer: 'Você recebeu este link porque um serviço que você usa consulta os dados do seu banco por meio da Belvo.',
  yourBank: 'seu banco',
  privacy: 'Sua senha vai direto para {institution} por meio da Belvo, em uma conexão segura. Nunca a guardamos.',
  password: {
    title: 'Reconecte {institution}',
    heading: 'Reconecte {institution}',
    intro:
      'A conexão com sua conta {institution} parou de funcionar, quase sempre porque a senha mudou. Digite a senha que você usa hoje para entrar em {institution}.',
    label: 'Sua senha de {institution}',
    label2: 'Sua segunda senha',
    hint2: '{institution} também pede uma segunda senha, como a senha do cartão ou de transações.',
    show: 'Mostrar senha',
    submit: 'Reconectar',
    submitting: 'Verificando…',
  },
  mfa: {
    title: 'Confirme que é você',
    heading: '{institution} quer confirmar que é você',
    intro: 'Digite o código que {institution} enviou (por SMS, no app ou no seu dispositivo de segurança).',
    introDevice: 'Aprove o acesso no app de {institution} ou no seu outro dispositivo e depois volte aqui.',
    introQr: 'Leia este QR code com o app de {institution} e digite o código que aparecer.',
    instructionsLabel: 'O que {institution} informa',
    valueLabel: 'Referência',
    qrAlt: 'QR code para ler com o app de {institution}',
    qrValueLabel: 'Não consegue ler? Ver o texto do código',
    tokenLabel: 'Código',
    submit: 'Confirmar',
    approved: 'Já aprovei no meu outro dispositivo',
    timeLeftMany: 'Esta etapa fica aberta por mais uns {minutes} minutos.',
    timeLeftOne: 'Esta etapa fica aberta por mais 1 minuto, aproximadamente.',
    timeLeftUnderOne: 'Esta etapa se encerra em menos de um minuto.',
    timeEnded: 'Esta etapa foi encerrada. Recarregue a página para começar de novo.',
  },
  consent: {
    title: 'Renove seu consentimento',
    heading: 'Renove seu consentimento com {institution}',
    aboutToExpire: 'Seu consentimento para compartilhar os dados de {institution} vence em {date}.',
    aboutToExpireNoDate: 'Seu consentimento para compartilhar os dados de {institution} vence em breve.',
    expired: 'Seu consentimento para compartilhar os dados de {institution} venceu em {date}.',
    expiredNoDate: 'Seu consentimento para compartilhar os dados de {institution} já venceu.',
    needsRenewal: 'Seu consentimento para compartilhar os dados de {institution} precisa ser renovado.',
    explain:
      'Renovar leva um minuto no My Belvo Portal: entre, encontre {institution} e confirme. Até lá, suas contas de {institution} não podem ser atualizadas.',
    renew: 'Renovar meu consentimento',
  },
  alerts: {
    wrongPassword: '{institution} não aceitou essa senha.',
    wrongToken: '{institution} não aceitou esse código.',
    needsPassword2: '{institution} também precisa da sua segunda senha. Digite as duas abaixo.',
    tooManySessions:
      '{institution} informa que você já tem uma sessão aberta em outro lugar. Feche o app de {institution} e qualquer outra sessão, espere um minuto e tente de novo.',
    busy: 'Ainda estamos verificando sua tentativa anterior. Espere alguns segundos e recarregue esta página.',
    missingPassword: 'Digite sua senha.',
    missingPassword2: 'Digite também sua segunda senha.',
    missingToken: 'Digite o código.',
    tooLong: 'É mais longo do que {institution} aceita. Confira e tente de novo.',
  },
  triesLeftOne: 'Resta 1 tentativa. Se não tiver certeza da senha, confira antes no app de {institution}.',
  triesLeftMany: 'Restam {tries} tentativas.',
  newLink: {
    offer: 'Podemos enviar um novo para o e-mail ou telefone que temos cadastrado, sem mostrá-lo aqui.',
    button: 'Envie-me um novo link',
    sent: 'Um novo link está a caminho do e-mail ou telefone que temos cadastrado. Pode levar alguns minutos.',
    noContact: 'Não temos como enviar um novo link. Fale com o serviço que pediu para você conectar seu banco.',
  },
  startAgain: 'Começar de novo',
  openAgain: 'Abrir a página de novo',
  notices: {
    resolved: {
      title: 'Conectado de novo',
      heading: 'Sua conta {institution} está conectada de novo',
      body: ['Obrigado. Não há mais nada a fazer; você pode fechar esta página.'],
    },
    alreadyResolved: {
      title: 'Já está resolvido',
      heading: 'Isto já está resolvido',
      body: ['Sua conexão com {institution} está funcionando. Não há mais nada a fazer; você pode fechar esta página.'],
    },
    failedAfterRetries: {
      title: 'Paramos para proteger sua conta',
      heading: 'Paramos para proteger sua conta',
      body: [
        '{institution} recusou a senha várias vezes. Novas tentativas poderiam bloquear sua conta {institution}.',
        'Primeiro confira se você consegue entrar no app ou no site de {institution} e, se precisar, resolva sua senha com {institution}. Depois peça um novo link ao serviço que pediu para você conectar seu banco.',
      ],
    },
    caseFailed: {
      title: 'Esta solicitação foi encerrada',
      heading: 'Esta solicitação foi encerrada',
      body: [
        'Não conseguimos reconectar sua conta {institution} com este link, então ele não funciona mais.',
        'Confira se você consegue entrar no app ou no site de {institution}. Se a conexão ainda for necessária, o serviço que pediu para você conectar seu banco enviará um novo link.',
      ],
    },
    caseExpired: {
      title: 'Esta solicitação terminou',
      heading: 'Esta solicitação terminou',
      body: ['Este link não está mais em uso. Se sua conexão com {institution} ainda precisar de atenção, você receberá uma nova mensagem.'],
    },
    linkExpired: {
      title: 'Este link expirou',
      heading: 'Este link expirou',
      body: ['Os links funcionam por tempo limitado para proteger sua conta.'],
    },
    linkExpiredNoOffer: {
      title: 'Este link expirou',
      heading: 'Este link expirou',
      body: ['Os links funcionam por tempo limitado para proteger sua conta. Peça um novo ao serviço que pediu para você conectar seu banco.'],
    },
    mfaSessionExpired: {
      title: 'A sessão terminou',
      heading: 'A sessão com {institution} terminou',
      body: [
        '{institution} mantém esta etapa aberta só por alguns minutos, e esse tempo já passou. Nada foi alterado.',
        'Comece de novo: digite sua senha e {institution} pedirá um novo código.',
      ],
    },
    institutionDown: {
      title: '{institution} não está respondendo',
      heading: '{institution} não está respondendo agora',
      body: [
        'Isso acontece quando o banco está sobrecarregado ou em manutenção. Nada foi alterado.',
        'Tente mais tarde com este mesmo link; ele continua funcionando até expirar.',
      ],
    },
    serviceError: {
      title: 'Algo deu errado',
      heading: 'Desculpe, algo deu errado do nosso lado',
      body: [
        'Não conseguimos concluir a verificação com {institution} agora. Nada foi alterado e não guardamos sua senha.',
        'Tente de novo em alguns minutos com este mesmo link. Nossa equipe já foi avisada.',
      ],
    },
    invalid: {
      title: 'Este link não funciona',
      heading: 'Este link não funciona',
      body: ['Ele pode estar incompleto ou digitado errado. Abra-o de novo a partir da mensagem que você recebeu ou copie o endereço completo.'],
    },
    csrf: {
      title: 'Sua página tinha expirado',
      heading: 'Sua página tinha expirado',
      body: ['Para sua segurança, não enviamos o que você digitou. Abra a página de novo e tente outra vez.'],
    },
    tooManyRequests: {
      title: 'Tentativas demais',
      heading: 'Tentativas demais',
      body: ['Para proteger sua conta, espere alguns minutos antes de tentar de novo.'],
    },
    serverError: {
      title: 'Algo deu errado',
      heading: 'Desculpe, algo deu errado',
      body: ['Não conseguimos mostrar esta página. Nada foi alterado. Tente de novo em alguns minutos.'],
    },
  },
};
