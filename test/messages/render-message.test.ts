import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, type Locale } from '../../server/i18n/locale.ts';
import { renderMessage, type MessageContext } from '../../server/messages/render-message.ts';
import { smsEncoding, smsSegments } from '../../server/messages/sms-encoding.ts';

const BASE = 'https://relink.example.com/r/';
/** The longest portal link the SMS copy is written for. */
const URL_80 = BASE + 'T'.repeat(80 - BASE.length);
const SHORT_URL = 'https://p.io/r/abc';

const CASES: Array<Pick<MessageContext, 'caseKind' | 'webhookCode'>> = [
  { caseKind: 'credentials', webhookCode: 'invalid_credentials' },
  { caseKind: 'mfa', webhookCode: 'token_required' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' },
  { caseKind: 'consent', webhookCode: 'openfinance_consent_expired' },
];
const TEMPLATES = ['remediation', 'new_link', 'reminder'] as const;

function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    template: 'remediation',
    caseKind: 'credentials',
    locale: 'es',
    portalUrl: URL_80,
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

describe('renderMessage for e-mail', () => {
  test('every locale, case and template carries the portal link exactly once in text and once in HTML', async () => {
    for (const ctx of everyMessage()) {
      const label = `${ctx.locale} ${ctx.template} ${ctx.caseKind} ${ctx.webhookCode}`;
      const mail = await renderMessage('email', 'ana@example.com', ctx);
      assert.equal(mail.to, 'ana@example.com');
      assert.ok(mail.subject && mail.subject.length > 10, label);
      assert.equal(count(mail.text, ctx.portalUrl), 1, `text: ${label}`);
      assert.equal(count(mail.html!, ctx.portalUrl), 1, `html: ${label}`);
      assert.equal(count(mail.html!, '<a '), 1, `one button: ${label}`);
      assert.match(mail.html!, new RegExp(`<html lang="${ctx.locale}"`), label);
      assert.ok(mail.html!.includes(`<title>${mail.subject}</title>`), label);
    }
  });

  test('the Spanish credentials e-mail says what broke, what to do and that the link is personal', async () => {
    const mail = await renderMessage('email', 'ana@example.com', context());
    assert.equal(mail.subject, 'La conexión de tu cuenta de BBVA México dejó de funcionar');
    assert.match(mail.text, /^Hola, Ana:/);
    assert.match(mail.text, /contraseña del banco haya cambiado/);
    assert.match(mail.text, /solo para ti/);
    assert.match(mail.text, /No respondas a este correo con tu contraseña/);
    assert.match(mail.text, /tu app financiera/);
    assert.match(mail.html!, />Actualizar mi conexión</);
  });

  test('each language reads in that language', async () => {
    const expected: Record<Locale, { subject: string; greeting: RegExp; button: string }> = {
      es: { subject: 'Confirma el acceso a tu cuenta de BBVA México', greeting: /^Hola, Ana:/, button: 'Confirmar mi acceso' },
      'pt-BR': { subject: 'Confirme o acesso à sua conta BBVA México', greeting: /^Olá, Ana!/, button: 'Confirmar meu acesso' },
      en: { subject: 'Confirm access to your BBVA México account', greeting: /^Hi Ana,/, button: 'Confirm my access' },
    };
    for (const locale of LOCALES) {
      const mail = await renderMessage('email', 'ana@example.com', context({ locale, caseKind: 'mfa' }));
      assert.equal(mail.subject, expected[locale].subject);
      assert.match(mail.text, expected[locale].greeting);
      assert.ok(mail.html!.includes(`>${expected[locale].button}</a>`), locale);
    }
  });

  test('a consent about to expire names the due date in the reader’s format', async () => {
    const dates: Record<Locale, string> = {
      es: '26 de diciembre de 2024',
      'pt-BR': '26 de dezembro de 2024',
      en: 'December 26, 2024',
    };
    for (const locale of LOCALES) {
      const mail = await renderMessage(
        'email',
        'ana@example.com',
        context({ locale, caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' }),
      );
      assert.ok(mail.subject!.includes(dates[locale]), `${locale}: ${mail.subject}`);
      assert.ok(mail.text.includes(dates[locale]), locale);
    }
  });

  test('an expired consent says it has expired and mentions no date', async () => {
    const words: Record<Locale, string> = { es: 'venció', 'pt-BR': 'venceu', en: 'has expired' };
    for (const locale of LOCALES) {
      const mail = await renderMessage(
        'email',
        'ana@example.com',
        context({ locale, caseKind: 'consent', webhookCode: 'openfinance_consent_expired', consentDueDate: null }),
      );
      assert.ok(mail.subject!.includes(words[locale]), `${locale}: ${mail.subject}`);
      assert.ok(!/2024/.test(mail.text), locale);
    }
  });

  test('a new link answers the person’s own request', async () => {
    const mail = await renderMessage('email', 'ana@example.com', context({ template: 'new_link', locale: 'pt-BR' }));
    assert.equal(mail.subject, 'Seu novo link para atualizar a conexão da sua conta BBVA México');
    assert.match(mail.text, /Aqui está o novo link que você pediu\./);
  });

  test('a reminder reads differently from the first message in every language and case', async () => {
    const reminderWords: Record<Locale, RegExp> = { es: /^Recordatorio: /, 'pt-BR': /^Lembrete: /, en: /^Reminder: / };
    for (const ctx of everyMessage()) {
      if (ctx.template !== 'reminder') continue;
      const label = `${ctx.locale} ${ctx.caseKind} ${ctx.webhookCode}`;
      const reminder = await renderMessage('email', 'ana@example.com', ctx);
      const first = await renderMessage('email', 'ana@example.com', { ...ctx, template: 'remediation' });
      assert.match(reminder.subject!, reminderWords[ctx.locale], label);
      assert.notEqual(reminder.text, first.text, label);
      const reminderSms = await renderMessage('sms', '+5511999999999', { ...ctx, portalUrl: SHORT_URL });
      const firstSms = await renderMessage('sms', '+5511999999999', { ...ctx, template: 'remediation', portalUrl: SHORT_URL });
      assert.notEqual(reminderSms.text, firstSms.text, label);
    }
  });

  test('a consent reminder still names the due date', async () => {
    const mail = await renderMessage(
      'email',
      'ana@example.com',
      context({ locale: 'pt-BR', template: 'reminder', caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire' }),
    );
    assert.equal(mail.subject, 'Lembrete: o consentimento da sua conta BBVA México vence em 26 de dezembro de 2024');
    assert.match(mail.text, /Escrevemos há pouco sobre isto e ainda está pendente\./);
  });

  test('without a name or bank the e-mail still reads naturally', async () => {
    const mail = await renderMessage('email', 'x@example.com', context({ userName: null, institutionName: '  ' }));
    assert.equal(mail.subject, 'La conexión de tu cuenta bancaria dejó de funcionar');
    assert.match(mail.text, /^Hola:/);
    assert.ok(!mail.text.includes('undefined') && !mail.text.includes('null'));
  });

  test('names from the operator are escaped in the HTML part', async () => {
    const mail = await renderMessage(
      'email',
      'ana@example.com',
      context({ userName: '<script>alert(1)</script>', institutionName: 'Bank "A" & <b>Co</b>' }),
    );
    assert.ok(!mail.html!.includes('<script>'));
    assert.ok(!mail.html!.includes('<b>Co</b>'));
    assert.ok(mail.html!.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(mail.html!.includes('Bank &#34;A&#34; &amp; &lt;b&gt;Co&lt;/b&gt;'));
  });

  test('a context that is not one of ours is refused', async () => {
    await assert.rejects(renderMessage('email', 'a@example.com', context({ locale: 'fr' as Locale })));
    await assert.rejects(renderMessage('email', 'a@example.com', context({ portalUrl: 'javascript:alert(1)' })));
  });
});

describe('renderMessage for SMS', () => {
  const names = [
    { userName: null, institutionName: null },
    { userName: 'Ana', institutionName: 'BBVA' },
    { userName: 'Maria da Conceição Gonçalves', institutionName: 'Itaú Unibanco Holding S.A. — Personnalité' },
  ];

  test('every locale, case and template fits one GSM-7 segment next to an 80-character link', async () => {
    for (const ctx of everyMessage()) {
      for (const who of names) {
        const sms = await renderMessage('sms', '+5511999999999', { ...ctx, ...who });
        const label = `${ctx.locale} ${ctx.template} ${ctx.caseKind} ${ctx.webhookCode} ${who.userName}: ${sms.text}`;
        assert.equal(smsEncoding(sms.text), 'GSM-7', label);
        assert.equal(smsSegments(sms.text), 1, label);
        assert.equal(count(sms.text, ctx.portalUrl), 1, label);
        assert.equal(sms.subject, undefined);
        assert.equal(sms.html, undefined);
      }
    }
  });

  test('with a short link the SMS greets by name and names the bank, folded into GSM-7', async () => {
    const sms = await renderMessage(
      'sms',
      '+5511999999999',
      context({ locale: 'pt-BR', portalUrl: SHORT_URL, userName: 'João', institutionName: 'Itaú' }),
    );
    assert.equal(
      sms.text,
      `Oi, Joao. Seu app financeiro: a senha salva da sua conta Itau deixou de funcionar. Digite a nova no seu link pessoal: ${SHORT_URL}`,
    );
  });

  test('with the longest link the name goes before the bank, and the bank before the copy', async () => {
    const sms = await renderMessage('sms', '+525512345678', context({ userName: 'Ana', institutionName: 'BBVA' }));
    assert.equal(sms.text, `Tu app financiera: actualiza tu contraseña de BBVA en tu enlace personal: ${URL_80}`);
  });

  test('a consent SMS gives the due date in numbers', async () => {
    const sms = await renderMessage(
      'sms',
      '+525512345678',
      context({ caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire', portalUrl: SHORT_URL }),
    );
    assert.match(sms.text, /vence el 26\/12\/2024/);
  });

  test('a bare due date is that day, whatever the time zone', async () => {
    const sms = await renderMessage(
      'sms',
      '+525512345678',
      context({ caseKind: 'consent', webhookCode: 'openfinance_consent_about_to_expire', consentDueDate: '2024-12-26' }),
    );
    assert.match(sms.text, /26\/12\/2024/);
  });
});
