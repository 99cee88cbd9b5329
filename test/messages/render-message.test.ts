import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBrand } from '../../server/brand/brand.ts';
import { WHATSAPP_TEMPLATE_NAMES } from '../../server/channels/channel.ts';
import { LOCALES, type Locale } from '../../server/i18n/locale.ts';
import { copyFor, whatsAppBody } from '../../server/messages/message-copy.ts';
import { createMessageRenderer, SMS_INSTITUTION_MAX, type MessageContext } from '../../server/messages/render-message.ts';
import { smsEncoding, smsSegments } from '../../server/messages/sms-encoding.ts';

const TOKEN = 'A'.repeat(35);
/** A PUBLIC_URL of 40 characters, CONTRACT.md's longest for one SMS segment, and a real token length. */
const PUBLIC_URL_40 = 'https://portal.' + 'f'.repeat(40 - 'https://portal.'.length - '.com'.length) + '.com';
const URL_AT_LIMIT = `${PUBLIC_URL_40}/r/${TOKEN}`;
const PORTAL_URL = `https://relink.example.com/r/${TOKEN}`;
const SHORT_URL = `https://p.io/r/${TOKEN}`;

const brand = createBrand({
  name: 'Demo Fintech',
  color: '#6d28d9',
  logoUrl: 'https://cdn.fintech.example/logo.png',
  support: { url: 'https://ayuda.fintech.example/soporte', email: 'ayuda@fintech.example', phone: '+52 55 1234 5678' },
});
const render = createMessageRenderer(brand);

const CASES: Array<Pick<MessageContext, 'caseKind' | 'webhookCode'>> = [
  { caseKind: 'credentials', webhookCode: 'invalid_credentials' },
  { caseKind: 'mfa', webhookCode: 'token_required' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_expired' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_with_unrecoverable_resources' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_with_temporarily_unavailable_resources' },
];
const TEMPLATES = ['remediation', 'new_link', 'reminder'] as const;

function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    template: 'remediation',
    caseKind: 'credentials',
    locale: 'es',
    portalUrl: PORTAL_URL,
    userName: 'Ana',
    institutionName: 'BBVA México',
    consentDueDate: '2024-12-26T10:45:58.000Z',
    ...overrides,
  };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

function* everyMessage(): Generator<MessageContext> {
  for (const locale of LOCALES) {
    for (const template of TEMPLATES) {
      for (const c of CASES) yield context({ locale, template, ...c });
    }
  }
}

const label = (ctx: MessageContext) => `${ctx.locale} ${ctx.template} ${ctx.caseKind} ${ctx.webhookCode}`;

describe('e-mail', () => {
  test('every locale, case and template names the brand in its subject and carries the portal link once in text and HTML', async () => {
    for (const ctx of everyMessage()) {
      const mail = await render('email', 'ana@example.com', ctx);
      assert.equal(mail.to, 'ana@example.com');
      assert.ok(mail.subject!.includes('Demo Fintech'), `${label(ctx)}: ${mail.subject}`);
      assert.equal(count(mail.text, ctx.portalUrl), 1, `text: ${label(ctx)}`);
      assert.equal(count(mail.html!, ctx.portalUrl), 1, `html: ${label(ctx)}`);
      assert.match(mail.html!, new RegExp(`<html lang="${ctx.locale}"`), label(ctx));
      assert.ok(mail.html!.includes(`<title>${mail.subject}</title>`), label(ctx));
      assert.ok(!/undefined|null/.test(mail.text + mail.html!), label(ctx));
    }
  });

  test('the Spanish credentials e-mail says who writes, what broke, what to do, and that the link is personal', async () => {
    const mail = await render('email', 'ana@example.com', context());
    assert.equal(mail.subject, 'Demo Fintech: la conexión de tu cuenta de BBVA México dejó de funcionar');
    assert.match(mail.text, /^Hola, Ana:/);
    assert.match(mail.text, /Demo Fintech ya no puede conectarse a tu cuenta de BBVA México/);
    assert.match(mail.text, /contraseña del banco haya cambiado/);
    assert.match(mail.text, /solo para ti/);
    assert.match(mail.text, /Demo Fintech nunca te pedirá tu contraseña ni tus códigos por teléfono, SMS, correo o WhatsApp/);
    assert.match(mail.html!, />Actualizar mi conexión</);
  });

  test('the text part reads on its own: the link on a line of its own, a signature, how to reach support, and why it came', async () => {
    const mail = await render('email', 'ana@example.com', context());
    assert.ok(mail.text.includes(`en la página segura.\n${PORTAL_URL}\n\n`), mail.text);
    assert.match(mail.text, /\n\nEl equipo de Demo Fintech\n\n-- \n/);
    assert.match(mail.text, /¿Dudas sobre este correo\? Contacta a Demo Fintech:\nAyuda: https:\/\/ayuda\.fintech\.example\/soporte\nCorreo: ayuda@fintech\.example\nTeléfono: \+52 55 1234 5678\n\nRecibes este correo porque conectaste tu cuenta de BBVA México a Demo Fintech\.$/);
    assert.ok(!/<[a-z]/i.test(mail.text), 'no markup in the text part');
  });

  test('the HTML carries the brand: its colour with readable text, its logo named by the brand, and the support contacts as links', async () => {
    const mail = await render('email', 'ana@example.com', context());
    const html = mail.html!;
    assert.match(html, /background-color:#6d28d9;[^"]*color:#ffffff;/, 'white text on the purple header');
    assert.match(html, /<img src="https:\/\/cdn\.fintech\.example\/logo\.png" alt="Demo Fintech"/);
    assert.match(html, /<a href="https:\/\/relink\.example\.com\/r\/A+"[^>]*color:#ffffff;[^>]*>Actualizar mi conexión<\/a>/);
    assert.match(html, /<a href="mailto:ayuda@fintech\.example"/);
    assert.match(html, /<a href="tel:\+525512345678"[^>]*>\+52 55 1234 5678<\/a>/);
    assert.match(html, /<a href="https:\/\/ayuda\.fintech\.example\/soporte"[^>]*>ayuda\.fintech\.example\/soporte<\/a>/);
  });

  test('a very light brand colour gets dark text and a visible edge on its button', async () => {
    const light = createMessageRenderer(createBrand({ name: 'Lumen', color: '#fff7d6', support: {} }));
    const mail = await light('email', 'ana@example.com', context());
    assert.match(mail.html!, /background-color:#fff7d6;border:2px solid #000000;/);
    assert.match(mail.html!, /color:#000000;text-decoration:none;">Actualizar mi conexión</);
    assert.ok(!mail.html!.includes('<img'), 'no logo configured, the name heads the e-mail');
    assert.ok(!mail.text.includes('Dudas'), 'no support contacts, no support lines');
  });

  test('each language reads in that language', async () => {
    const expected: Record<Locale, { subject: string; greeting: RegExp; button: string }> = {
      es: { subject: 'Demo Fintech: confirma el acceso a tu cuenta de BBVA México', greeting: /^Hola, Ana:/, button: 'Confirmar mi acceso' },
      'pt-BR': { subject: 'Demo Fintech: confirme o acesso à sua conta BBVA México', greeting: /^Olá, Ana!/, button: 'Confirmar meu acesso' },
      en: { subject: 'Demo Fintech: confirm access to your BBVA México account', greeting: /^Hi Ana,/, button: 'Confirm my access' },
    };
    for (const locale of LOCALES) {
      const mail = await render('email', 'ana@example.com', context({ locale, caseKind: 'mfa' }));
      assert.equal(mail.subject, expected[locale].subject);
      assert.match(mail.text, expected[locale].greeting);
      assert.ok(mail.html!.includes(`>${expected[locale].button}</a>`), locale);
    }
  });

  test('a consent about to expire names the due date in the reader’s format', async () => {
    const dates: Record<Locale, string> = { es: '26 de diciembre de 2024', 'pt-BR': '26 de dezembro de 2024', en: 'December 26, 2024' };
    for (const locale of LOCALES) {
      const mail = await render('email', 'ana@example.com', context({ locale, caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' }));
      assert.ok(mail.subject!.includes(dates[locale]), `${locale}: ${mail.subject}`);
      assert.ok(mail.text.includes(dates[locale]), locale);
    }
  });

  test('an expired consent says it has expired and mentions no date, whichever spelling Belvo used', async () => {
    const words: Record<Locale, string> = { es: 'venció', 'pt-BR': 'venceu', en: 'has expired' };
    for (const locale of LOCALES) {
      for (const webhookCode of ['openfinance_consent_expired', 'consent_expired']) {
        const mail = await render('email', 'ana@example.com', context({ locale, caseKind: 'consent', webhookCode, consentDueDate: null }));
        assert.ok(mail.subject!.includes(words[locale]), `${locale}: ${mail.subject}`);
        assert.ok(!/2024/.test(mail.text), locale);
      }
    }
  });

  test('a new link answers the person’s own request', async () => {
    const mail = await render('email', 'ana@example.com', context({ template: 'new_link', locale: 'pt-BR' }));
    assert.equal(mail.subject, 'Demo Fintech: seu novo link para atualizar a conexão da sua conta BBVA México');
    assert.match(mail.text, /Aqui está o novo link que você pediu\./);
  });

  test('a reminder reads differently from the first message in every language and case', async () => {
    const reminderWords: Record<Locale, RegExp> = {
      es: /^Recordatorio de Demo Fintech: /,
      'pt-BR': /^Lembrete de Demo Fintech: /,
      en: /^Reminder from Demo Fintech: /,
    };
    for (const ctx of everyMessage()) {
      if (ctx.template !== 'reminder') continue;
      const reminder = await render('email', 'ana@example.com', ctx);
      const first = await render('email', 'ana@example.com', { ...ctx, template: 'remediation' });
      assert.match(reminder.subject!, reminderWords[ctx.locale], label(ctx));
      assert.notEqual(reminder.text, first.text, label(ctx));
      const reminderSms = await render('sms', '+5511999999999', { ...ctx, portalUrl: SHORT_URL });
      const firstSms = await render('sms', '+5511999999999', { ...ctx, template: 'remediation', portalUrl: SHORT_URL });
      assert.notEqual(reminderSms.text, firstSms.text, label(ctx));
    }
  });

  test('a consent reminder still names the due date', async () => {
    const mail = await render(
      'email',
      'ana@example.com',
      context({ locale: 'pt-BR', template: 'reminder', caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' }),
    );
    assert.equal(mail.subject, 'Lembrete de Demo Fintech: o consentimento da sua conta BBVA México vence em 26 de dezembro de 2024');
    assert.match(mail.text, /Escrevemos há pouco sobre isto e ainda está pendente\./);
  });

  test('without a name or bank the e-mail still reads naturally', async () => {
    const mail = await render('email', 'x@example.com', context({ userName: null, institutionName: '  ' }));
    assert.equal(mail.subject, 'Demo Fintech: la conexión de tu cuenta bancaria dejó de funcionar');
    assert.match(mail.text, /^Hola:/);
  });

  test('names from the operator are escaped in the HTML part', async () => {
    const mail = await render('email', 'ana@example.com', context({ userName: '<script>alert(1)</script>', institutionName: 'Bank "A" & <b>Co</b>' }));
    assert.ok(!mail.html!.includes('<script>'));
    assert.ok(!mail.html!.includes('<b>Co</b>'));
    assert.ok(mail.html!.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(mail.html!.includes('Bank &#34;A&#34; &amp; &lt;b&gt;Co&lt;/b&gt;'));
  });

  test('a context that is not one of ours is refused', async () => {
    await assert.rejects(render('email', 'a@example.com', context({ locale: 'fr' as Locale })));
    await assert.rejects(render('email', 'a@example.com', context({ portalUrl: 'javascript:alert(1)' })));
    await assert.rejects(render('email', 'a@example.com', context({ portalUrl: 'https://relink.example.com/elsewhere' })));
  });
});

describe('consent messages agree with the page that follows', () => {
  const unrecoverable = { caseKind: 'consent', webhookCode: 'openfinance_consent_with_unrecoverable_resources', consentDueDate: null } as const;
  // The link itself "expires soon" in every message; these are the words about the consent.
  const expiredWords: Record<Locale, RegExp> = { es: /venció|ha vencido|vence el|renuev|renov/i, 'pt-BR': /venceu|vence em|renov/i, en: /has expired|expires on|renew/i };
  const connectWords: Record<Locale, RegExp> = { es: /conecta/i, 'pt-BR': /conect/i, en: /connect/i };

  test('"unrecoverable resources" asks the person to connect again and never says "expired, renew it", on any channel', async () => {
    for (const locale of LOCALES) {
      for (const template of TEMPLATES) {
        const ctx = context({ locale, template, ...unrecoverable });
        const mail = await render('email', 'ana@example.com', ctx);
        const sms = await render('sms', '+5511999999999', ctx);
        for (const text of [mail.subject!, mail.text, sms.text]) {
          assert.ok(!expiredWords[locale].test(text), `${locale} ${template}: ${text}`);
        }
        if (template === 'remediation') {
          assert.match(mail.subject!, connectWords[locale]);
          assert.match(sms.text, connectWords[locale]);
        }
      }
    }
  });

  test('the WhatsApp consent template is worded for every consent situation: it asks for attention, not for a renewal', () => {
    for (const locale of LOCALES) {
      for (const variant of ['link', 'button'] as const) {
        const body = whatsAppBody(copyFor(locale).whatsapp, 'consent', variant);
        assert.ok(!expiredWords[locale].test(body), `${locale}: ${body}`);
      }
    }
  });
});

describe('SMS', () => {
  const names = [
    { userName: null, institutionName: null },
    { userName: 'Ana', institutionName: 'BBVA' },
    { userName: 'Maria da Conceição Gonçalves', institutionName: 'Itaú Unibanco' },
  ];

  test('at the limits (a 20-character brand, a 40-character PUBLIC_URL, a 20-character bank) every SMS is one GSM-7 segment naming both', async () => {
    const longest = createMessageRenderer(createBrand({ name: 'Financiera Ejemplo 2', support: {} }));
    assert.equal('Financiera Ejemplo 2'.length, 20);
    assert.equal(PUBLIC_URL_40.length, 40);
    const bank = 'Banco Ejemplo Grande';
    assert.equal(bank.length, SMS_INSTITUTION_MAX);
    for (const ctx of everyMessage()) {
      for (const userName of [null, 'Maria da Conceição Gonçalves']) {
        const sms = await longest('sms', '+5511999999999', { ...ctx, portalUrl: URL_AT_LIMIT, institutionName: bank, userName });
        const what = `${label(ctx)}: ${sms.text}`;
        assert.equal(smsEncoding(sms.text), 'GSM-7', what);
        assert.equal(smsSegments(sms.text), 1, what);
        assert.equal(count(sms.text, URL_AT_LIMIT), 1, what);
        assert.ok(sms.text.startsWith('Financiera Ejemplo 2: '), what);
        assert.ok(sms.text.includes(bank), what);
        assert.equal(sms.subject, undefined);
        assert.equal(sms.html, undefined);
      }
    }
  });

  test('a longer bank name is shortened at a word, so the SMS still names it', async () => {
    const longest = createMessageRenderer(createBrand({ name: 'Financiera Ejemplo 2', support: {} }));
    const sms = await longest('sms', '+5511999999999', context({ locale: 'pt-BR', portalUrl: URL_AT_LIMIT, institutionName: 'Caixa Econômica Federal' }));
    assert.ok(sms.text.includes('Caixa Economica '), sms.text);
    assert.ok(!sms.text.includes('Federal'), sms.text);
    assert.equal(smsSegments(sms.text), 1);
  });

  test('every locale, case and template, with any name, fits one GSM-7 segment next to the link', async () => {
    for (const ctx of everyMessage()) {
      for (const who of names) {
        const sms = await render('sms', '+5511999999999', { ...ctx, ...who });
        const what = `${label(ctx)} ${who.userName}: ${sms.text}`;
        assert.equal(smsEncoding(sms.text), 'GSM-7', what);
        assert.equal(smsSegments(sms.text), 1, what);
        assert.equal(count(sms.text, ctx.portalUrl), 1, what);
        assert.ok(sms.text.startsWith('Demo Fintech: '), what);
      }
    }
  });

  test('a brand outside GSM-7 is folded into it, so the SMS stays one segment', async () => {
    const accented = createMessageRenderer(createBrand({ name: 'Crédito Fácil Ñandú', support: {} }));
    const sms = await accented('sms', '+525512345678', context());
    assert.ok(sms.text.startsWith('Crédito Facil Ñandu: '), sms.text);
    assert.equal(smsEncoding(sms.text), 'GSM-7');
  });

  test('with a short link the SMS greets by name and names the bank, folded into GSM-7', async () => {
    const sms = await render('sms', '+5511999999999', context({ locale: 'pt-BR', portalUrl: SHORT_URL, userName: 'João', institutionName: 'Itaú' }));
    assert.equal(sms.text, `Demo Fintech: Oi, Joao. Itau recusou sua senha salva. Digite a nova no seu link pessoal: ${SHORT_URL}`);
  });

  test('the greeting is dropped before the wording gets shorter', async () => {
    const ctx = context({ portalUrl: URL_AT_LIMIT, userName: 'Ana', institutionName: 'BBVA' });
    const sms = await render('sms', '+525512345678', ctx);
    assert.equal(sms.text, `Demo Fintech: Hola, Ana. BBVA ya no acepta tu contraseña. Escribe la nueva en: ${URL_AT_LIMIT}`);
    const longName = await render('sms', '+525512345678', { ...ctx, userName: 'Maximiliano Alejandro' });
    assert.equal(longName.text, `Demo Fintech: BBVA ya no acepta tu contraseña. Escribe la nueva en: ${URL_AT_LIMIT}`);
  });

  test('a consent SMS gives the due date as day and month', async () => {
    const sms = await render('sms', '+525512345678', context({ caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire', portalUrl: SHORT_URL }));
    assert.match(sms.text, /vence el 26\/12/);
  });

  test('a bare due date is that day, whatever the time zone', async () => {
    const sms = await render('sms', '+525512345678', context({ caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire', consentDueDate: '2024-12-26' }));
    assert.match(sms.text, /26\/12/);
  });
});

describe('WhatsApp', () => {
  test('the variables are exactly CONTRACT.md’s: brand, bank, full link, token alone', async () => {
    const message = await render('whatsapp', '+5511999999999', context({ locale: 'pt-BR', institutionName: 'Itaú Unibanco' }));
    assert.deepEqual(message.whatsapp!.variables, { '1': 'Demo Fintech', '2': 'Itaú Unibanco', '3': PORTAL_URL, '4': TOKEN });
    assert.equal(message.whatsapp!.template, 'credentials');
    assert.equal(message.whatsapp!.locale, 'pt-BR');
    assert.equal(message.to, '+5511999999999');
  });

  test('a first message uses the template of its case’s kind; reminders and new links have their own', async () => {
    const expected = { remediation: { credentials: 'credentials', mfa: 'mfa', consent: 'consent' }, reminder: 'reminder', new_link: 'new_link' } as const;
    for (const ctx of everyMessage()) {
      const message = await render('whatsapp', '+5511999999999', ctx);
      const want = ctx.template === 'remediation' ? expected.remediation[ctx.caseKind] : expected[ctx.template];
      assert.equal(message.whatsapp!.template, want, label(ctx));
    }
  });

  test('the text is the template as read, with the link once; the button variant keeps the link for its button', async () => {
    for (const ctx of everyMessage()) {
      const message = await render('whatsapp', '+5511999999999', ctx);
      assert.equal(count(message.text, PORTAL_URL), 1, label(ctx));
      assert.ok(message.text.includes('*Demo Fintech*'), label(ctx));
      assert.ok(message.text.includes('BBVA México'), label(ctx));
      assert.ok(!/\{\{\d\}\}/.test(message.text + message.whatsapp!.withButton.text), label(ctx));
      assert.equal(count(message.whatsapp!.withButton.text, PORTAL_URL), 0, label(ctx));
      assert.equal(message.whatsapp!.withButton.url, PORTAL_URL);
    }
  });

  test('an unknown bank is "your bank", never an empty variable, which Meta refuses', async () => {
    const expected: Record<Locale, string> = { es: 'tu banco', 'pt-BR': 'seu banco', en: 'your bank' };
    for (const locale of LOCALES) {
      const message = await render('whatsapp', '+5511999999999', context({ locale, institutionName: null }));
      assert.equal(message.whatsapp!.variables['2'], expected[locale]);
      assert.ok(message.text.includes(` ${expected[locale]} `), message.text);
    }
  });

  test('every template text follows Meta’s rules: no variable at either end, none repeated, {{3}} only in the link variant', () => {
    for (const locale of LOCALES) {
      const copy = copyFor(locale).whatsapp;
      assert.ok(copy.button.length <= 25, `${locale}: button label over 25 characters`);
      for (const name of WHATSAPP_TEMPLATE_NAMES) {
        for (const variant of ['link', 'button'] as const) {
          const body = whatsAppBody(copy, name, variant);
          const what = `${locale} ${name} ${variant}`;
          assert.ok(!/^\s*\{\{/.test(body) && !/\}\}\s*$/.test(body), `${what}: starts or ends with a variable`);
          const used = [...body.matchAll(/\{\{(\d)\}\}/g)].map((m) => m[1]);
          assert.equal(new Set(used).size, used.length, `${what}: a variable is repeated`);
          assert.deepEqual(used.sort(), variant === 'link' ? ['1', '2', '3'] : ['1', '2'], what);
          assert.ok(body.length < 1024, `${what}: over WhatsApp's 1024 characters`);
        }
      }
    }
  });
});
