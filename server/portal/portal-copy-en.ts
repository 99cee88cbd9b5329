import type { PortalCopy } from './portal-copy.ts';

export const en: PortalCopy = {
  brand: 'Reconnect your bank',
  footer: 'You received this link because a service you use reads your bank data through Belvo.',
  yourBank: 'your bank',
  privacy: 'Your password goes straight to {institution} through Belvo, over a secure connection. We never keep it.',
  password: {
    title: 'Reconnect {institution}',
    heading: 'Reconnect {institution}',
    intro:
      'The connection to your {institution} account stopped working, usually because the password changed. Type the password you use to sign in to {institution} today.',
    label: 'Your {institution} password',
    label2: 'Your second password',
    hint2: '{institution} also asks for a second password, such as your card or transactions PIN.',
    show: 'Show password',
    submit: 'Reconnect',
    submitting: 'Checking…',
  },
  mfa: {
    title: 'Confirm it is you',
    heading: '{institution} wants to confirm it is you',
    intro: 'Type the code {institution} gives you (by SMS, in its app or on your security device).',
    introDevice: 'Approve the sign-in in your {institution} app or on your other device, then come back here.',
    introQr: 'Scan this QR code with your {institution} app, then type the code it shows.',
    instructionsLabel: 'What {institution} says',
    valueLabel: 'Reference',
    qrAlt: 'QR code to scan with your {institution} app',
    qrValueLabel: 'Cannot scan it? Show the text of the code',
    tokenLabel: 'Code',
    submit: 'Confirm',
    approved: 'I approved it on my other device',
    timeLeftMany: 'This step stays open for about {minutes} more minutes.',
    timeLeftOne: 'This step stays open for about 1 more minute.',
    timeLeftUnderOne: 'This step closes in less than a minute.',
    timeEnded: 'This step has closed. Reload the page to start again.',
  },
  consent: {
    title: 'Renew your consent',
    heading: 'Renew your consent with {institution}',
    aboutToExpire: 'Your consent to share your {institution} data expires on {date}.',
    aboutToExpireNoDate: 'Your consent to share your {institution} data expires soon.',
    expired: 'Your consent to share your {institution} data expired on {date}.',
    expiredNoDate: 'Your consent to share your {institution} data has expired.',
    needsRenewal: 'Your consent to share your {institution} data needs to be renewed.',
    explain:
      'Renewing takes a minute in My Belvo Portal: sign in, find {institution} and confirm. Until you do, your {institution} accounts cannot be updated.',
    renew: 'Renew my consent',
  },
  alerts: {
    wrongPassword: '{institution} did not accept that password.',
    wrongToken: '{institution} did not accept that code.',
    needsPassword2: '{institution} also needs your second password. Type both below.',
    tooManySessions:
      '{institution} says you are already signed in somewhere else. Close the {institution} app and any other open session, wait a minute, then try again.',
    busy: 'We are still checking your previous attempt. Wait a few seconds, then reload this page.',
    missingPassword: 'Type your password.',
    missingPassword2: 'Type your second password too.',
    missingToken: 'Type the code.',
    tooLong: 'That is longer than {institution} accepts. Check it and try again.',
  },
  triesLeftOne: 'You have 1 try left. If you are not sure of your password, check it in the {institution} app first.',
  triesLeftMany: 'You have {tries} tries left.',
  newLink: {
    offer: 'We can send a new one to the e-mail address or phone number we have for you, without showing it here.',
    button: 'Send me a new link',
    sent: 'A new link is on its way to the e-mail address or phone number we have for you. It can take a few minutes.',
    noContact: 'We have no way to send you a new link. Contact the service that asked you to connect your bank.',
  },
  startAgain: 'Start again',
  openAgain: 'Open the page again',
  notices: {
    resolved: {
      title: 'Connected again',
      heading: 'Your {institution} account is connected again',
      body: ['Thank you. There is nothing else to do; you can close this page.'],
    },
    alreadyResolved: {
      title: 'Already fixed',
      heading: 'This is already fixed',
      body: ['Your {institution} connection is working. There is nothing else to do; you can close this page.'],
    },
    failedAfterRetries: {
      title: 'We stopped to protect your account',
      heading: 'We stopped to protect your account',
      body: [
        '{institution} refused the password several times. More attempts could lock your {institution} account.',
        'First check that you can sign in to the {institution} app or website, and sort out your password with {institution} if needed. Then contact the service that asked you to connect your bank for a new link.',
      ],
    },
    caseFailed: {
      title: 'This request is closed',
      heading: 'This request is closed',
      body: [
        'We could not reconnect your {institution} account with this link, so it no longer works.',
        'Check that you can sign in to the {institution} app or website. If the connection is still needed, the service that asked you to connect your bank will send you a new link.',
      ],
    },
    caseExpired: {
      title: 'This request has ended',
      heading: 'This request has ended',
      body: ['This link is no longer in use. If your {institution} connection still needs attention, you will get a new message.'],
    },
    linkExpired: {
      title: 'This link has expired',
      heading: 'This link has expired',
      body: ['Links work for a limited time to keep your account safe.'],
    },
    linkExpiredNoOffer: {
      title: 'This link has expired',
      heading: 'This link has expired',
      body: ['Links work for a limited time to keep your account safe. Contact the service that asked you to connect your bank for a new one.'],
    },
    mfaSessionExpired: {
      title: 'The session ran out',
      heading: 'The session with {institution} ran out',
      body: [
        '{institution} keeps this step open for a few minutes only, and that time has passed. Nothing was changed.',
        'Start again: type your password and {institution} will ask you for a new code.',
      ],
    },
    institutionDown: {
      title: '{institution} is not answering',
      heading: '{institution} is not answering right now',
      body: [
        'This happens when the bank is busy or under maintenance. Nothing was changed.',
        'Please try again later with this same link; it keeps working until it expires.',
      ],
    },
    serviceError: {
      title: 'Something went wrong',
      heading: 'Sorry, something went wrong on our side',
      body: [
        'We could not complete the check with {institution} just now. Nothing was changed, and we did not keep your password.',
        'Please try again in a few minutes with this same link. Our team has been told about the problem.',
      ],
    },
    invalid: {
      title: 'This link does not work',
      heading: 'This link does not work',
      body: ['It may be incomplete or mistyped. Open it again from the message you received, or copy the whole address.'],
    },
    csrf: {
      title: 'Your page had expired',
      heading: 'Your page had expired',
      body: ['For your safety, we did not send what you typed. Open the page again and try once more.'],
    },
    tooManyRequests: {
      title: 'Too many attempts',
      heading: 'Too many attempts',
      body: ['To keep your account safe, please wait a few minutes before you try again.'],
    },
    serverError: {
      title: 'Something went wrong',
      heading: 'Sorry, something went wrong',
      body: ['We could not show this page. Nothing was changed. Please try again in a few minutes.'],
    },
  },
};
