// A stand-in for Belvo's hosted Connect widget, for the demo and the tests: POST /api/token/ checks
// the body as Belvo would for each use (update mode, a Brazilian Open Finance connection, My Belvo
// Portal's consent management) and mints a 10-minute access token that remembers the link and the
// callback URLs, and the page under /widget/ plays the widget. It shows the link's institution,
// asks for the password (then the MFA token when the simulator's script says so), updates the link
// and sends the browser to the success, exit or event callback with the flat query parameters of
// Belvo's hosted widget. Plain server-rendered forms without inline script, so it runs under the
// portal's CSP.
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { BelvoLink, WidgetCallbackUrls } from '../belvo/belvo-types.ts';
import type { Clock } from '../clock.ts';
import { isValidDocument } from '../users/identity-document.ts';
import { ERRORS, SANDBOX_MFA_TOKEN, scenarioFor } from './simulator-scenarios.ts';

/** Belvo's access tokens live 10 minutes. */
export const WIDGET_TOKEN_TTL_MS = 10 * 60_000;
const TEMPLATE = fileURLToPath(new URL('../../views/sandbox/belvo-widget.ejs', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const callbackUrls = z.object({ success: z.url(), exit: z.url(), event: z.url() });
/** Belvo's `identification_info`: the person's CPF (check digits and all) and name are required. */
const identificationInfo = z
  .array(z.looseObject({ type: z.enum(['CPF', 'CNPJ']), number: z.string(), name: z.string().min(1) }))
  .refine((ids) => ids.some((id) => id.type === 'CPF'), 'A CPF is required.')
  .refine((ids) => ids.every((id) => isValidDocument(id.type, id.number)), 'Invalid document number.');
const keys = { id: z.string(), password: z.string() };

/** The three bodies Belvo documents for POST /api/token/ (REAL-API.md), told apart by `widget.openfinance_feature`. */
export const tokenBodySchemas = {
  update: z.looseObject({
    ...keys,
    scopes: z.literal('read_institutions,write_links,read_links'),
    link_id: z.string().regex(UUID),
    widget: z.looseObject({ callback_urls: callbackUrls }),
  }),
  consent_link_creation: z.looseObject({
    ...keys,
    scopes: z.literal('read_institutions,write_links,read_consents,write_consents,write_consent_callback,delete_consents'),
    fetch_resources: z.array(z.string()).min(1),
    widget: z.looseObject({
      purpose: z.string().min(1),
      openfinance_feature: z.literal('consent_link_creation'),
      callback_urls: callbackUrls,
      consent: z.looseObject({
        terms_and_conditions_url: z.url(),
        permissions: z.array(z.string()).min(1),
        identification_info: identificationInfo,
      }),
      branding: z.looseObject({}),
    }),
  }),
  consent_management: z.looseObject({
    ...keys,
    scopes: z.literal('read_consents,write_consents,write_consent_callback'),
    widget: z.looseObject({
      openfinance_feature: z.literal('consent_management'),
      consent: z.looseObject({ identification_info: identificationInfo }),
    }),
  }),
};

export type TokenRequestKind = keyof typeof tokenBodySchemas;

export function tokenRequestKind(body: unknown): TokenRequestKind {
  const feature = (body as { widget?: { openfinance_feature?: unknown } } | null)?.widget?.openfinance_feature;
  return feature === 'consent_link_creation' || feature === 'consent_management' ? feature : 'update';
}

/** What a grant needs from a token request the simulator accepted. */
export interface GrantRequest {
  linkId: string | undefined;
  callbackUrls: WidgetCallbackUrls | undefined;
}

interface Grant {
  linkId: string | undefined;
  callbackUrls: WidgetCallbackUrls | undefined;
  expiresAt: number;
  /** The password step asked for an MFA token; the next form is the token's. */
  awaitingToken: boolean;
  lastError: { code: string; message: string } | undefined;
  /** From the widget URL's `external_id`, given to a link the widget creates. */
  externalId: string | undefined;
}

export interface WidgetLinks {
  ensure(linkId: string): BelvoLink;
  markValid(link: BelvoLink): BelvoLink;
}

export interface WidgetGrants {
  mint(request: GrantRequest): { access: string; refresh: string };
  router: express.Router;
}

const COPY = {
  es: { title: 'Belvo (simulador)', intro: 'Actualiza tu conexión con', newIntro: 'Conecta tu cuenta de', password: 'Contraseña', token: 'Código de seguridad (123456)', next: 'Continuar', exit: 'Salir', expired: 'Esta sesión de Belvo expiró.' },
  pt: { title: 'Belvo (simulador)', intro: 'Atualize sua conexão com', newIntro: 'Conecte sua conta do', password: 'Senha', token: 'Código de segurança (123456)', next: 'Continuar', exit: 'Sair', expired: 'Esta sessão da Belvo expirou.' },
  en: { title: 'Belvo (simulator)', intro: 'Update your connection to', newIntro: 'Connect your account at', password: 'Password', token: 'Security code (123456)', next: 'Continue', exit: 'Exit', expired: 'This Belvo session has expired.' },
} as const;
type WidgetLocale = keyof typeof COPY;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f5f9;color:#111}
main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.25rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{box-sizing:border-box;width:100%;min-height:44px;font-size:1rem;padding:.5rem;border:1px solid #555;border-radius:6px}
button{min-height:44px;margin:1rem .5rem 0 0;padding:.5rem 1.25rem;font-size:1rem;border-radius:6px;border:1px solid #1d3fbb}
.primary{background:#1d3fbb;color:#fff}.error{color:#a00000;font-weight:600}`;

function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

export function createWidgetGrants(deps: { clock: Clock; links: WidgetLinks; institution: string }): WidgetGrants {
  const grants = new Map<string, Grant>();

  function live(access: unknown): Grant | undefined {
    if (typeof access !== 'string') return undefined;
    const grant = grants.get(access);
    if (grant && grant.expiresAt <= deps.clock.now()) grants.delete(access);
    return grant && grant.expiresAt > deps.clock.now() ? grant : undefined;
  }

  function localeOf(value: unknown): WidgetLocale {
    return value === 'pt' || value === 'en' ? value : 'es';
  }

  async function render(res: Response, status: number, view: Record<string, unknown>): Promise<void> {
    const html = await ejs.renderFile(TEMPLATE, view);
    res.status(status).type('html').send(html);
  }

  function page(res: Response, access: string, grant: Grant, locale: WidgetLocale, status = 200) {
    const institution = grant.linkId ? deps.links.ensure(grant.linkId).institution : deps.institution;
    const copy = COPY[locale];
    return render(res, status, {
      lang: locale,
      copy,
      heading: `${grant.linkId ? copy.intro : copy.newIntro} ${institution}`,
      access,
      locale,
      step: grant.awaitingToken ? 'token' : 'password',
      error: grant.lastError?.message,
    });
  }

  function connect(access: string, grant: Grant, urls: WidgetCallbackUrls): string {
    const link = grant.linkId ? deps.links.ensure(grant.linkId) : deps.links.ensure(randomUUID());
    if (!grant.linkId && grant.externalId) link.external_id = grant.externalId;
    deps.links.markValid(link);
    // Belvo invalidates the token as soon as the user connects.
    grants.delete(access);
    return withQuery(urls.success, { link: link.id, institution: link.institution });
  }

  /** Belvo's hosted widget: flat, percent-encoded parameters, as its exit callback documents them. */
  function exitUrl(grant: Grant, urls: WidgetCallbackUrls, institution: string): string {
    return withQuery(urls.exit, {
      ...(grant.lastError
        ? { last_encountered_error_code: grant.lastError.code, last_encountered_error_message: grant.lastError.message }
        : {}),
      meta_data_institution_name: institution,
      meta_data_step: 'abandonSurvey',
    });
  }

  async function submit(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const access = String(body['access_token'] ?? '');
    const locale = localeOf(body['locale']);
    const grant = live(access);
    const urls = grant?.callbackUrls;
    // A My Belvo Portal token opens no widget.
    if (!grant || !urls) return render(res, 401, { lang: locale, copy: COPY[locale], heading: COPY[locale].expired, step: 'none' });
    const institution = grant.linkId ? deps.links.ensure(grant.linkId).institution : deps.institution;
    if (body['action'] === 'exit') return void res.redirect(303, exitUrl(grant, urls, institution));

    if (grant.awaitingToken) {
      if (body['token'] === SANDBOX_MFA_TOKEN) return void res.redirect(303, connect(access, grant, urls));
      grant.lastError = { code: ERRORS.wrongToken.code, message: ERRORS.wrongToken.message };
      return page(res, access, grant, locale, 400);
    }
    const scenario = scenarioFor(String(body['password'] ?? ''));
    if (scenario.kind === 'mfa') {
      grant.awaitingToken = true;
      grant.lastError = undefined;
      return page(res, access, grant, locale);
    }
    if (scenario.kind !== 'error') return void res.redirect(303, connect(access, grant, urls));
    grant.lastError = { code: scenario.code, message: scenario.message };
    if (scenario.code === 'login_error') return page(res, access, grant, locale, 400);
    // Anything but a wrong password ends the widget at its error callback.
    res.redirect(303, withQuery(urls.event, { error: scenario.code, error_message: scenario.message }));
  }

  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '4kb' }));
  router.get('/widget.css', (_req, res) => {
    res.type('css').send(STYLE);
  });
  router.get('/', async (req, res) => {
    const locale = localeOf(req.query['locale']);
    const access = req.query['access_token'];
    const grant = live(access);
    if (!grant?.callbackUrls) return render(res, 401, { lang: locale, copy: COPY[locale], heading: COPY[locale].expired, step: 'none' });
    const externalId = req.query['external_id'];
    if (typeof externalId === 'string' && externalId) grant.externalId = externalId;
    await page(res, String(access), grant, locale);
  });
  router.post('/', submit);

  return {
    router,
    mint(request) {
      const access = randomBytes(24).toString('base64url');
      grants.set(access, {
        linkId: request.linkId,
        callbackUrls: request.callbackUrls,
        expiresAt: deps.clock.now() + WIDGET_TOKEN_TTL_MS,
        awaitingToken: false,
        lastError: undefined,
        externalId: undefined,
      });
      if (request.linkId) deps.links.ensure(request.linkId);
      return { access, refresh: randomBytes(24).toString('base64url') };
    },
  };
}
