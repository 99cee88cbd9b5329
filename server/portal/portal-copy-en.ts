// English, for users who chose it. A known bank is named ("your Banorte account"); an unknown one
// is "your bank", with its own wording where a name would start a sentence or take a possessive.
import type { PortalCopy } from './portal-copy.ts';

interface Bank {
  /** Inside a sentence: "to Banorte" / "to your bank". */
  name: string;
  /** At the start of a sentence. */
  Name: string;
  account: string;
  Account: string;
  app: string;
  appOrSite: string;
}

function bankOf(institution: string | null): Bank {
  if (!institution) {
    return {
      name: 'your bank',
      Name: 'Your bank',
      account: 'your bank account',
      Account: 'Your bank account',
      app: "your bank's app",
      appOrSite: "your bank's app or website",
    };
  }
  return {
    name: institution,
    Name: institution,
    account: `your ${institution} account`,
    Account: `Your ${institution} account`,
    app: `your ${institution} app`,
    appOrSite: `the ${institution} app or website`,
  };
}

const CONTACT = 'the e-mail address or phone number we have on file';

export function enCopy(institution: string | null, brand: string): PortalCopy {
  const bank = bankOf(institution);
  const support = `contact ${brand}'s support team`;
  return {
    footer: `You got this link because ${brand} uses Belvo to access your bank data.`,
    neverAsk: `${brand} will never ask for your password by phone, by SMS or in a WhatsApp reply.`,
    support: {
      heading: 'Need help?',
      intro: `Contact ${brand}:`,
      fallback: `Contact ${brand}'s support team from its app or website.`,
      labels: { url: 'Help center', email: 'E-mail', phone: 'Phone' },
    },
    retry: { at: 'You can try again from {time}, with this same link.', button: 'Try again' },
    password: {
      title: `Reconnect ${bank.account}`,
      heading: `Reconnect ${bank.account}`,
      intro: `The connection to ${bank.account} stopped working, usually because the password changed. Enter the password you use to sign in to ${bank.name} today.`,
      label: institution ? `Your ${institution} password` : 'Your bank password',
      label2: 'Your second password',
      hint2: `${bank.Name} asks for a second password when you sign in online. Type it exactly as you do in ${bank.appOrSite}.`,
      reveal: 'Show',
      revealWhat: 'password',
      revealWhat2: 'second password',
      submit: 'Reconnect',
      submitting: 'Checking…',
      privacy: `Your password goes straight to ${bank.name} through Belvo, over a secure connection. We never store it.`,
    },
    mfa: {
      title: "Confirm it's you",
      heading: `${bank.Name} wants to confirm it's you`,
      intro: `Enter the security code from ${bank.name}. It may come by text message or show up in ${bank.app} or on your security token.`,
      introDevice: `Approve the sign-in in ${bank.app} or on your security token. Then come back to this page and tap “I've approved it”.`,
      introQr: `Scan this QR code with ${bank.app}, then enter the code it shows.`,
      qrOtherScreen:
        'If the app is on this same phone, open the link from your message on another screen, such as a computer, so you can scan the code.',
      instructionsLabel: `In ${institution ? `${institution}'s` : "your bank's"} own words:`,
      valueLabel: 'Reference',
      qrAlt: `QR code to scan with ${bank.app}`,
      qrValueLabel: "Can't scan it? Show the code as text",
      tokenLabel: 'Code',
      submit: 'Confirm',
      approved: "I've approved it",
      timeLeftMany: 'You have about {minutes} minutes left to finish this step.',
      timeLeftOne: 'You have about 1 minute left to finish this step.',
      timeLeftUnderOne: 'You have less than a minute left to finish this step.',
      timeEnded: "Time's up for this step. Open the link from your message again to start over.",
    },
    consent: {
      title: 'Renew your consent',
      heading: `Renew your consent with ${bank.name}`,
      aboutToExpire: 'Your consent expires on {date}.',
      aboutToExpireNoDate: 'Your consent expires soon.',
      expired: 'Your consent expired on {date}.',
      expiredNoDate: 'Your consent has expired.',
      needsRenewal: 'Your consent needs to be renewed.',
      explain: `Without an active consent, ${brand} can't update the data from ${bank.account}. Renewing takes a minute in My Belvo Portal, Belvo's website.`,
      renew: 'Renew my consent',
      renewDirect: `The button takes you straight to this consent: confirm it with ${bank.name} and you're done.`,
      renewLanding: `In My Belvo Portal, sign in with your CPF and confirm it's you with any bank where you have an account. Then open “Meus compartilhamentos”, choose the consent with ${bank.name} that you gave ${brand}, and renew it.`,
      renewUnavailable: ["We couldn't open My Belvo Portal for this consent just now. Nothing was changed.", "Try again in a few minutes, or open My Belvo Portal's home page and look for the consent there."],
      openLanding: "Open My Belvo Portal's home page",
      daysLeftMany: '{days} days left.',
      daysLeftOne: '1 day left.',
      lastDay: 'Today is the last day.',
      unrecoverableTitle: 'Your connection ended',
      unrecoverableHeading: `Your connection to ${bank.name} ended`,
      unrecoverableStatus: `The accounts behind it are no longer available at ${bank.name}, so it can't be renewed.`,
      unrecoverableExplain: `For ${brand} to keep using your data, it needs a new connection.`,
      unrecoverableInApp: `To keep your data up to date, open the ${brand} app and connect ${bank.account} again from there. If you can't find how, ${support}.`,
    },
    widget: {
      intro: "The quickest way: reconnect your account in Belvo's secure window.",
      button: 'Continue with Belvo',
      orPassword: 'Or type your new password here:',
      orToken: 'Or type the code here:',
      orApprove: "Or, once you've approved it, tell us here:",
      instead: "Prefer Belvo's secure window? It will ask for your password again.",
      reconnectIntro: "Connect your account again in Belvo's secure window. It takes a minute.",
      reconnectButton: 'Connect again',
      exited: ["You left Belvo's window before finishing. Nothing was changed.", 'You can try again whenever you like.'],
      failed: [`Belvo couldn't reconnect your account with ${bank.name}. Nothing was changed.`, 'Please try again in a few minutes.'],
      notConfirmed: ["We couldn't confirm with Belvo that your account is connected.", 'Please try again from this page.'],
      unavailable: ["Belvo's window isn't available right now.", 'Please try again in a few minutes.'],
    },
    alerts: {
      wrongPassword: `${bank.Name} didn't accept that password.`,
      wrongToken: `${bank.Name} didn't accept that code.`,
      needsPassword2: `${bank.Name} also needs your second password. Enter both below.`,
      tooManySessions: `${bank.Name} says you're already signed in somewhere else. Close ${bank.app} and any other open session, wait a minute, then try again.`,
      busy: "We're still checking your previous attempt. Wait a few seconds, then reload this page to see the result.",
      missingPassword: 'Enter your password.',
      missingPassword2: 'Enter your second password too.',
      missingToken: 'Enter the code.',
      tooLong: "That's too long. Check it and try again.",
    },
    triesLeftMany: 'You have {tries} tries left before we stop to protect your account.',
    triesLeftOne: 'You have 1 try left.',
    lastTryTip: {
      password: `Before you use it, check that you can sign in to ${bank.app} with that password.`,
      token: 'Before you use it, check that this is the most recent code.',
    },
    newLink: {
      offer: `We can send a new one to ${CONTACT}.`,
      button: 'Send me a new link',
      sent: [`A new link is on its way to ${CONTACT}. It can take a few minutes to arrive.`, 'When it arrives, open it from that message.'],
      noContact: `We don't have an e-mail address or phone number to send you a new link. If you still need to reconnect ${bank.account}, ${support}.`,
    },
    startAgain: 'Start again',
    openAgain: 'Open the page again',
    notices: {
      resolved: {
        title: 'Account connected',
        heading: `${bank.Account} is connected again`,
        body: [`All done: ${brand} can update your data again. There's nothing else to do; you can close this page.`],
      },
      alreadyResolved: {
        title: 'Account connected',
        heading: `${bank.Account} is already connected`,
        body: ["The connection already works, so this link is no longer needed. There's nothing else to do; you can close this page."],
      },
      failedAfterRetries: {
        title: 'We stopped to protect your account',
        heading: 'We stopped to protect your account',
        body: [
          `${bank.Name} refused several attempts in a row. More attempts could lock your account, so we closed this link.`,
          `First check that you can sign in to ${bank.appOrSite}; if you can't, reset your password there. Then ${support} for a new link.`,
        ],
      },
      caseFailed: {
        title: 'We closed this link',
        heading: 'We closed this link',
        body: [
          `We couldn't reconnect ${bank.account} with this link, so we closed it to protect your account.`,
          `Check that you can sign in to ${bank.appOrSite}. Then ${support} for a new link.`,
        ],
      },
      caseExpired: {
        title: 'This link is no longer active',
        heading: 'This link is no longer active',
        body: [`There's nothing to do here. If the connection to ${bank.account} still needs attention, we'll send you a new message.`],
      },
      linkExpired: {
        title: 'This link has expired',
        heading: 'This link has expired',
        body: ['For your security, links only work for a limited time.'],
      },
      linkExpiredNoOffer: {
        title: 'This link has expired',
        heading: 'This link has expired',
        body: ['For your security, links only work for a limited time.', `If you still need to reconnect ${bank.account}, ${support}.`],
      },
      mfaSessionExpired: {
        title: "Time's up",
        heading: "Time ran out to confirm it's you",
        body: [
          `${bank.Name} only allows a few minutes for this step, and that time has passed. Nothing was changed.`,
          `Tap “Start again” and enter your password again: ${bank.name} will ask you to confirm it's you once more.`,
        ],
      },
      institutionDown: {
        title: `${bank.Name} isn't responding`,
        heading: `${bank.Name} isn't responding right now`,
        body: ['This usually happens when the bank is busy or under maintenance. Nothing was changed.'],
      },
      bankTimedOut: {
        title: `${bank.Name} took too long`,
        heading: `${bank.Name} took too long to answer`,
        body: ["It happens now and then when the bank is busy. Nothing was changed, and it didn't count as one of your tries."],
      },
      institutionInactive: {
        title: `${bank.Name} can't be connected any more`,
        heading: `${bank.Name} can no longer be connected`,
        body: [
          `Belvo, the service ${brand} uses to reach banks, no longer works with ${bank.name}, so this link can't fix the connection. Nothing was changed.`,
          `Contact ${brand}'s support team to find out what you can do instead.`,
        ],
      },
      linkUnusable: {
        title: "This connection can't be fixed here",
        heading: "This connection can't be fixed from this page",
        body: [
          `The connection to ${bank.account} can no longer be updated, so we closed this link. Nothing was changed.`,
          `To connect it again, open the ${brand} app and add ${bank.account} from there. If you can't find how, ${support}.`,
        ],
      },
      serviceError: {
        title: 'Something went wrong',
        heading: 'Sorry, something went wrong on our side',
        body: [`We couldn't complete the check with ${bank.name}. Nothing was changed, and we didn't keep your password.`],
      },
      invalid: {
        title: "This link doesn't work",
        heading: "This link doesn't work",
        body: ['It may be incomplete or contain a typo. Open it again from the message you received; if you copied it, check that you copied all of it.'],
      },
      csrf: {
        title: 'Your page had expired',
        heading: 'Your page had expired',
        body: [
          `For your security, we didn't send what you entered to ${bank.name}. This happens when a page stays open for a long time or when your browser doesn't keep cookies.`,
          'Open the page again and try once more.',
        ],
      },
      tooManyRequests: {
        title: 'Too many attempts',
        heading: 'Too many attempts',
        body: [`To protect your account, we paused attempts from this page for a few minutes. Nothing was sent to ${bank.name}.`],
      },
      serverError: {
        title: 'Something went wrong',
        heading: 'Sorry, something went wrong',
        body: ['We had a problem on our side. Wait a few minutes, then open the link from your message again.'],
      },
    },
  };
}
