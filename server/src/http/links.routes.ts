// Tracked click-to-chat links. /api/links (marketers/admins): list, create, read. Public /c/:slug: records the
// click and redirects to wa.me / m.me with the click's ref code — or shows the landing step (business name and an
// explicit, unticked marketing opt-in with its exact versioned text) whose form continues via POST /c/:slug; an
// unknown link gets a small 404 page. Public pages speak the visitor's language (Accept-Language, BUSINESS_LOCALE).
// Must never store the raw IP or user agent, and must never render customer input unescaped.
import express, { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { LinkInputSchema } from '../../../shared/src/index.js';
import {
  LinkError,
  chatTarget,
  createLink,
  getLink,
  landingOptInText,
  listLinks,
  recordClick,
  recordLandingOptIn,
} from '../attribution/links.js';
import { LANDING_TEXTS } from '../attribution/landing-texts.js';
import { CUSTOMER_LANGS, baseLanguage, type CustomerLang } from '../policy/customer-language.js';
import { HttpError, badRequest, notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { canReadMarketing } from './campaigns.routes.js';
import { param, parse } from './validate.js';

export interface LinkRouteDeps {
  publicUrl?: string;
  businessName: string;
  /** BUSINESS_LOCALE: the landing page's language when the visitor's browser asks for none of the six. */
  businessLocale?: CustomerLang;
}

const baseUrlOf = (deps: LinkRouteDeps, req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

export function linkRoutes(deps: LinkRouteDeps): Router {
  const r = Router();
  r.get('/', canReadMarketing, async (req, res) => {
    res.json({ items: await listLinks(baseUrlOf(deps, req)) });
  });
  r.post('/', requirePermission('campaigns:manage'), async (req, res) => {
    const input = parse(LinkInputSchema, req.body);
    try {
      res.status(201).json(await createLink(input, currentUser(req).id, baseUrlOf(deps, req)));
    } catch (err) {
      if (err instanceof LinkError) throw badRequest(err.message);
      throw err;
    }
  });
  r.get('/:id', canReadMarketing, async (req, res) => {
    const l = await getLink(param(req, 'id'), baseUrlOf(deps, req));
    if (!l) throw notFound('Link');
    res.json(l);
  });
  return r;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function landingPage(o: {
  business: string;
  slug: string;
  code: string;
  channelLabel: string;
  lang: CustomerLang;
}): string {
  const t = LANDING_TEXTS[o.lang];
  return `<!doctype html>
<html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title(o.business))}</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;padding:28px;max-width:420px;box-shadow:0 2px 12px #0002}
h1{font-size:1.3rem;margin:0 0 8px}label{display:flex;gap:10px;align-items:flex-start;margin:18px 0;line-height:1.4}
input[type=checkbox]{width:20px;height:20px;margin-top:2px}button{background:#0b7a5a;color:#fff;border:0;border-radius:8px;
padding:12px 18px;font-size:1rem;width:100%;cursor:pointer}p.small{color:#555;font-size:.85rem}</style></head>
<body><main><h1>${esc(o.business)}</h1>
<p>${esc(t.intro(o.business, o.channelLabel))}</p>
<form method="post" action="/c/${esc(o.slug)}">
<input type="hidden" name="code" value="${esc(o.code)}">
<input type="hidden" name="lang" value="${o.lang}">
<label><input type="checkbox" name="marketing" value="yes"> <span>${esc(landingOptInText(o.business, o.lang))}</span></label>
<button type="submit">${esc(t.button)}</button>
</form><p class="small">${esc(t.optional)}</p></main></body></html>`;
}

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

function deadLinkPage(business: string, lang: CustomerLang): string {
  const t = LANDING_TEXTS[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.deadTitle)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;padding:28px;max-width:420px;box-shadow:0 2px 12px #0002}h1{font-size:1.3rem;margin:0 0 8px}</style>
</head><body><main><h1>${esc(t.deadTitle)}</h1><p>${esc(t.dead(business))}</p></main></body></html>`;
}

/** The page's language: the visitor's Accept-Language among the six, else the business locale. */
function pageLanguage(req: Request, fallback: CustomerLang): CustomerLang {
  const best = req.acceptsLanguages(...CUSTOMER_LANGS, 'pt-BR', 'pt-PT', 'es-419', 'en-US', 'en-GB', 'fr-FR', 'de-DE');
  return (best && baseLanguage(best)) || fallback;
}

const LandingBody = z.object({
  code: z.string().regex(/^[2-9A-Z]{4,12}$/, 'must be a click code'),
  marketing: z.literal('yes').optional(),
  lang: z
    .enum(CUSTOMER_LANGS as [CustomerLang, ...CustomerLang[]], { message: 'must be es, en, pt, fr, it or de' })
    .optional(),
});

/** Public routes: GET /c/:slug and the landing form POST /c/:slug (no session, rate limited). */
export function publicLinkRoutes(deps: LinkRouteDeps): Router {
  const r = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 120, standardHeaders: 'draft-7', legacyHeaders: false });
  r.get('/c/:slug', limiter, async (req, res) => {
    const result = await recordClick(param(req, 'slug'), req.query as Record<string, unknown>, req.get('user-agent'));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!result) {
      // A customer tapped an old or mistyped link: a small page in their language, not an API error.
      res.setHeader('Content-Security-Policy', PAGE_CSP);
      res
        .status(404)
        .type('html')
        .send(deadLinkPage(deps.businessName, pageLanguage(req, deps.businessLocale ?? 'en')));
      return;
    }
    if (result.link.landing && result.click) {
      const channelLabel = result.channel.kind === 'messenger' ? 'Messenger' : 'WhatsApp';
      res.setHeader('Content-Security-Policy', `${PAGE_CSP}; form-action 'self' https://wa.me https://m.me`);
      res.type('html').send(
        landingPage({
          business: deps.businessName,
          slug: result.link.slug,
          code: result.click.code,
          channelLabel,
          lang: pageLanguage(req, deps.businessLocale ?? 'en'),
        }),
      );
      return;
    }
    res.redirect(302, chatTarget(result, result.click?.code ?? null));
  });
  r.post('/c/:slug', limiter, express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const body = parse(LandingBody, req.body ?? {});
    const found = await recordLandingOptIn(
      param(req, 'slug'),
      body.code,
      body.marketing === 'yes',
      deps.businessName,
      body.lang ?? deps.businessLocale ?? 'en',
    );
    if (!found) throw new HttpError(404, 'not_found', 'This link does not exist');
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, chatTarget(found, found.click.code));
  });
  return r;
}
