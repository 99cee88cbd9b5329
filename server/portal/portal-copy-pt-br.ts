// Brazilian Portuguese, addressing the person as "você". Brazilians put an article before a
// bank's name ("o Itaú", "a Caixa") whose gender we cannot know, so the name never follows a
// preposition here ("do", "no", "para o"): it starts a sentence, as in headlines ("Itaú não
// aceitou…"), or stands beside a noun ("sua conta Itaú", "app Itaú", "no banco Itaú"), as the
// e-mails do.
import type { PortalCopy } from './portal-copy.ts';

interface Bank {
  /** At the start of a sentence. */
  Name: string;
  account: string;
  Account: string;
  /** The bank's app, without an article: "app Itaú" / "app do seu banco". */
  app: string;
  /** "com Itaú" / "com seu banco". */
  withName: string;
  /** "no Itaú" / "no seu banco". */
  inName: string;
}

function bankOf(institution: string | null): Bank {
  if (!institution) {
    return {
      Name: 'Seu banco',
      account: 'sua conta bancária',
      Account: 'Sua conta bancária',
      app: 'app do seu banco',
      withName: 'com seu banco',
      inName: 'no seu banco',
    };
  }
  return {
    Name: institution,
    account: `sua conta ${institution}`,
    Account: `Sua conta ${institution}`,
    app: `app ${institution}`,
    withName: `com o banco ${institution}`,
    inName: `no banco ${institution}`,
  };
}

const CONTACT = 'o e-mail ou o celular que temos cadastrado';

/** The operator's app is named without an article: "o Nubank" or "a Nubank" is the operator's own call. */
export function ptBrCopy(institution: string | null, brand: string): PortalCopy {
  const bank = bankOf(institution);
  const support = `fale com o suporte de ${brand}`;
  return {
    footer: `Você recebeu este link porque ${brand} usa a Belvo para consultar os dados do seu banco.`,
    neverAsk: `${brand} nunca pede sua senha por telefone, por SMS nem como resposta no WhatsApp.`,
    support: {
      heading: 'Precisa de ajuda?',
      intro: `Fale com ${brand}:`,
      fallback: `Fale com o suporte de ${brand} pelo app ou pelo site.`,
      labels: { url: 'Central de ajuda', email: 'E-mail', phone: 'Telefone' },
    },
    retry: { at: 'Você pode tentar de novo a partir das {time}, com este mesmo link.', button: 'Tentar de novo' },
    password: {
      title: `Reconecte ${bank.account}`,
      heading: `Reconecte ${bank.account}`,
      intro: `A conexão com ${bank.account} parou de funcionar, quase sempre porque a senha mudou. Digite a senha que você usa hoje para entrar no app ou no site do banco.`,
      label: `Senha da ${bank.account}`,
      label2: 'Sua segunda senha',
      hint2: `${bank.Name} pede uma segunda senha para entrar no internet banking. Digite-a exatamente como você digita no app ou no site do banco.`,
      reveal: 'Mostrar',
      revealWhat: 'senha',
      revealWhat2: 'segunda senha',
      submit: 'Reconectar',
      submitting: 'Verificando…',
      privacy: 'Sua senha vai direto para o banco por meio da Belvo, em uma conexão segura. Nós nunca a guardamos.',
    },
    mfa: {
      title: 'Confirme que é você',
      heading: `${bank.Name} quer confirmar que é você`,
      intro: `Digite o código de segurança do banco. Ele pode chegar por SMS ou aparecer no ${bank.app} ou no seu token.`,
      introDevice: `Aprove o acesso no ${bank.app} ou no seu token. Depois volte a esta página e toque em “Já aprovei”.`,
      introQr: `Leia este QR code com o ${bank.app} e digite o código que aparecer.`,
      qrOtherScreen:
        'Se o app estiver neste mesmo celular, abra o link da sua mensagem em outra tela, como um computador, para conseguir ler o código.',
      instructionsLabel: 'Nas palavras do próprio banco:',
      valueLabel: 'Referência',
      qrAlt: `QR code para ler com o ${bank.app}`,
      qrValueLabel: 'Não consegue ler? Ver o código em texto',
      tokenLabel: 'Código',
      submit: 'Confirmar',
      approved: 'Já aprovei',
      timeLeftMany: 'Restam cerca de {minutes} minutos para concluir esta etapa.',
      timeLeftOne: 'Resta cerca de 1 minuto para concluir esta etapa.',
      timeLeftUnderOne: 'Resta menos de um minuto para concluir esta etapa.',
      timeEnded: 'O tempo desta etapa acabou. Abra outra vez o link da sua mensagem para recomeçar.',
    },
    consent: {
      title: 'Renove seu consentimento',
      heading: `Renove o consentimento da ${bank.account}`,
      aboutToExpire: 'Seu consentimento vence em {date}.',
      aboutToExpireNoDate: 'Seu consentimento vence em breve.',
      expired: 'Seu consentimento venceu em {date}.',
      expiredNoDate: 'Seu consentimento já venceu.',
      needsRenewal: 'Seu consentimento precisa ser renovado.',
      explain: `Sem um consentimento válido, ${brand} não consegue atualizar os dados da ${bank.account}. A renovação leva um minuto no My Belvo Portal, o site da Belvo.`,
      renew: 'Renovar meu consentimento',
      renewDirect: 'O botão leva você direto a este consentimento: confirme com o banco e pronto.',
      renewLanding: `No My Belvo Portal, entre com seu CPF e confirme que é você com qualquer banco em que tenha conta. Depois abra “Meus compartilhamentos”, escolha o consentimento desta conta que você deu para ${brand} e renove.`,
      renewUnavailable: ['Não conseguimos abrir o My Belvo Portal para este consentimento agora. Nada foi alterado.', 'Tente de novo em alguns minutos, ou abra a página inicial do My Belvo Portal e procure o consentimento lá.'],
      openLanding: 'Abrir a página inicial do My Belvo Portal',
      daysLeftMany: 'Faltam {days} dias.',
      daysLeftOne: 'Falta 1 dia.',
      lastDay: 'Hoje é o último dia.',
      unrecoverableTitle: 'Sua conexão terminou',
      unrecoverableHeading: `Sua conexão ${bank.withName} terminou`,
      unrecoverableStatus: `As contas desta conexão não estão mais disponíveis ${bank.inName}, então ela não pode ser renovada.`,
      unrecoverableExplain: `Para ${brand} continuar usando seus dados, é preciso uma nova conexão.`,
      unrecoverableInApp: `Para manter seus dados atualizados, abra o app de ${brand} e conecte de novo ${bank.account} por lá. Se não encontrar como, ${support}.`,
    },
    widget: {
      intro: 'O jeito mais rápido: reconecte sua conta na janela segura da Belvo.',
      button: 'Continuar com a Belvo',
      orPassword: 'Ou digite sua nova senha aqui:',
      orToken: 'Ou digite o código aqui:',
      orApprove: 'Ou, depois de aprovar, avise aqui:',
      instead: 'Prefere a janela segura da Belvo? Ela vai pedir sua senha de novo.',
      reconnectIntro: 'Conecte sua conta novamente na janela segura da Belvo. Leva um minuto.',
      reconnectButton: 'Conectar novamente',
      exited: ['Você saiu da janela da Belvo antes de terminar. Nada foi alterado.', 'Você pode tentar de novo quando quiser.'],
      failed: [`A Belvo não conseguiu reconectar sua conta ${bank.withName}. Nada foi alterado.`, 'Tente de novo em alguns minutos.'],
      notConfirmed: ['Não conseguimos confirmar com a Belvo que sua conta foi conectada.', 'Tente de novo a partir desta página.'],
      unavailable: ['A janela da Belvo não está disponível agora.', 'Tente de novo em alguns minutos.'],
    },
    alerts: {
      wrongPassword: `${bank.Name} não aceitou essa senha.`,
      wrongToken: `${bank.Name} não aceitou esse código.`,
      needsPassword2: `${bank.Name} também precisa da sua segunda senha. Digite as duas abaixo.`,
      tooManySessions: `${bank.Name} informa que você já tem uma sessão aberta em outro lugar. Feche o ${bank.app} e qualquer outra sessão, espere um minuto e tente de novo.`,
      busy: 'Ainda estamos verificando sua tentativa anterior. Espere alguns segundos e recarregue esta página para ver o resultado.',
      missingPassword: 'Digite sua senha.',
      missingPassword2: 'Digite também sua segunda senha.',
      missingToken: 'Digite o código.',
      tooLong: 'O que você digitou é longo demais. Confira e tente de novo.',
    },
    triesLeftMany: 'Você ainda tem {tries} tentativas antes de pararmos para proteger sua conta.',
    triesLeftOne: 'Resta 1 tentativa.',
    lastTryTip: {
      password: `Antes de usá-la, confirme que você consegue entrar no ${bank.app} com essa senha.`,
      token: 'Antes de usá-la, confira se este é o código mais recente.',
    },
    newLink: {
      offer: `Podemos enviar um novo para ${CONTACT}.`,
      button: 'Enviar um novo link',
      sent: [
        `Estamos enviando um novo link para ${CONTACT}. Ele pode levar alguns minutos para chegar.`,
        'Quando ele chegar, abra-o pela nova mensagem.',
      ],
      noContact: `Não temos um e-mail nem um celular para enviar um novo link. Se você ainda precisa reconectar ${bank.account}, ${support}.`,
    },
    startAgain: 'Começar de novo',
    openAgain: 'Abrir a página de novo',
    notices: {
      resolved: {
        title: 'Conta conectada',
        heading: `${bank.Account} está conectada de novo`,
        body: [`Pronto: ${brand} já pode voltar a atualizar seus dados. Não há mais nada a fazer; você pode fechar esta página.`],
      },
      alreadyResolved: {
        title: 'Conta conectada',
        heading: `${bank.Account} já está conectada`,
        body: ['A conexão já está funcionando, então este link não é mais necessário. Não há mais nada a fazer; você pode fechar esta página.'],
      },
      failedAfterRetries: {
        title: 'Paramos para proteger sua conta',
        heading: 'Paramos para proteger sua conta',
        body: [
          `${bank.Name} recusou várias tentativas seguidas. Novas tentativas poderiam bloquear sua conta, então encerramos este link.`,
          `Primeiro confirme se você consegue entrar no app ou no site do banco; se não conseguir, recupere sua senha por lá. Depois, ${support} para receber um novo link.`,
        ],
      },
      caseFailed: {
        title: 'Encerramos este link',
        heading: 'Encerramos este link',
        body: [
          `Não conseguimos reconectar ${bank.account} com este link, então o encerramos para proteger sua conta.`,
          `Confirme se você consegue entrar no app ou no site do banco. Depois, ${support} para receber um novo link.`,
        ],
      },
      caseExpired: {
        title: 'Este link não está mais ativo',
        heading: 'Este link não está mais ativo',
        body: [`Você não precisa fazer nada aqui. Se a conexão da ${bank.account} ainda precisar de atenção, enviaremos uma nova mensagem.`],
      },
      linkExpired: {
        title: 'Este link expirou',
        heading: 'Este link expirou',
        body: ['Por segurança, os links só funcionam por tempo limitado.'],
      },
      linkExpiredNoOffer: {
        title: 'Este link expirou',
        heading: 'Este link expirou',
        body: [
          'Por segurança, os links só funcionam por tempo limitado.',
          `Se você ainda precisa reconectar ${bank.account}, ${support}.`,
        ],
      },
      mfaSessionExpired: {
        title: 'O tempo acabou',
        heading: 'Acabou o tempo para confirmar que é você',
        body: [
          `${bank.Name} dá só alguns minutos para esta etapa, e esse tempo já passou. Nada foi alterado.`,
          'Toque em “Começar de novo” e digite sua senha outra vez: o banco vai pedir uma nova confirmação.',
        ],
      },
      institutionDown: {
        title: `${bank.Name} não está respondendo`,
        heading: `${bank.Name} não está respondendo agora`,
        body: ['Isso costuma acontecer quando o banco está sobrecarregado ou em manutenção. Nada foi alterado.'],
      },
      bankTimedOut: {
        title: `${bank.Name} demorou demais`,
        heading: `${bank.Name} demorou demais para responder`,
        body: ['Isso acontece de vez em quando se o banco está sobrecarregado. Nada foi alterado, e isso não contou como uma das suas tentativas.'],
      },
      institutionInactive: {
        title: `Não é mais possível conectar ${bank.account}`,
        heading: `Não é mais possível conectar ${bank.account}`,
        body: [
          `A Belvo, o serviço que ${brand} usa para se conectar aos bancos, não trabalha mais com este banco, então este link não pode consertar a conexão. Nada foi alterado.`,
          `Fale com o suporte de ${brand} para saber o que fazer no lugar.`,
        ],
      },
      linkUnusable: {
        title: 'Esta conexão não pode ser consertada aqui',
        heading: 'Esta conexão não pode ser consertada por esta página',
        body: [
          `A conexão da ${bank.account} não pode mais ser atualizada, então encerramos este link. Nada foi alterado.`,
          `Para conectar de novo, abra o app de ${brand} e adicione ${bank.account} por lá. Se não encontrar como, ${support}.`,
        ],
      },
      serviceError: {
        title: 'Algo deu errado',
        heading: 'Desculpe, algo deu errado do nosso lado',
        body: ['Não conseguimos concluir a verificação com o banco. Nada foi alterado e não guardamos sua senha.'],
      },
      invalid: {
        title: 'Este link não funciona',
        heading: 'Este link não funciona',
        body: [
          'Ele pode estar incompleto ou com algum erro. Abra-o de novo pela mensagem que você recebeu; se você o copiou, confira se está completo.',
        ],
      },
      csrf: {
        title: 'Esta página tinha expirado',
        heading: 'Esta página tinha expirado',
        body: [
          'Por segurança, não enviamos ao banco o que você digitou. Isso acontece quando a página fica aberta por muito tempo ou quando o navegador não guarda cookies.',
          'Abra a página de novo e tente outra vez.',
        ],
      },
      tooManyRequests: {
        title: 'Tentativas demais',
        heading: 'Tentativas demais',
        body: ['Para proteger sua conta, pausamos as tentativas por esta página por alguns minutos. Nada foi enviado ao banco.'],
      },
      serverError: {
        title: 'Algo deu errado',
        heading: 'Desculpe, algo deu errado',
        body: ['Tivemos um problema do nosso lado. Espere alguns minutos e depois abra outra vez o link da sua mensagem.'],
      },
    },
  };
}
