// The onboarding API your product exposes to its own front end. Amani's user token stays in this
// server: customers' browsers talk to these routes, never to Amani with our credentials.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AmaniClient, ProfileCreateRequest, ProfileWithTokens } from '../../src/index.ts';
import { httpAnswerFor } from './errors.ts';

export type Log = (line: string) => void;

// The customer fields this server accepts; anything else in the request body is ignored rather
// than forwarded to Amani.
const CUSTOMER_FIELDS = ['id_card_number', 'name', 'email', 'phone', 'birthdate', 'gender', 'occupation', 'address'] as const;

/** Up to 3 pages (front, back, selfie) of a few MB each, as base64 in JSON. */
const MAX_BODY = '25mb';

class BadRequest extends Error {
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
  }
}

function object(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body', 'must be a JSON object');
  return body as Record<string, unknown>;
}

/** The profile without its tokens: a profile token handed out here would outlive this request. */
function publicProfile(profile: ProfileWithTokens) {
  const { access: _access, refresh: _refresh, ...rest } = profile;
  return rest;
}

/**
 * Base64 (or a data: URL) to bytes. Never pass a string from a request to `documents.upload`: the
 * client reads a string page as a file path on this server.
 */
function decodePages(value: unknown): Uint8Array[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) {
    throw new BadRequest('pages', 'must be an array of 1 to 3 base64-encoded images or PDFs (front, back, selfie)');
  }
  return value.map((page, i) => {
    if (typeof page !== 'string') throw new BadRequest(`pages[${i}]`, 'must be a base64 string');
    const base64 = page.replace(/^data:[\w./+-]+;base64,/, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new BadRequest(`pages[${i}]`, 'is not base64');
    return new Uint8Array(Buffer.from(base64, 'base64'));
  });
}

export function createOnboardingApp(amani: AmaniClient, log: Log): express.Express {
  const app = express();
  app.disable('x-powered-by');

  // One line per request: method, route, status, duration. No bodies, no query strings.
  app.use((req, res, next) => {
    const started = Date.now();
    res.on('finish', () => log(`${req.method} ${req.path} -> ${res.statusCode} (${Date.now() - started} ms)`));
    next();
  });
  app.use(express.json({ limit: MAX_BODY }));

  // Get-or-create by identity number, so a retried sign-up finds the same profile.
  app.post('/customers', async (req, res) => {
    const body = object(req.body);
    const customer = Object.fromEntries(CUSTOMER_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));
    const profile = await amani.profiles.create(customer as ProfileCreateRequest);
    res.status(201).json(publicProfile(profile));
  });

  app.post('/customers/:id/documents', async (req, res) => {
    const body = object(req.body);
    const pages = decodePages(body.pages);
    const document = await amani.documents.upload({ profile: req.params.id, type: body.type as string, pages });
    res.status(201).json(document);
  });

  app.get('/customers/:id', async (req, res) => {
    const [profile, documents] = await Promise.all([amani.profiles.get(req.params.id), amani.documents.list(req.params.id)]);
    res.json({ profile: publicProfile(profile), documents });
  });

  // A link to Amani's hosted Web SDK flow, for customers who verify there instead of uploading here.
  app.post('/customers/:id/verification-link', async (req, res) => {
    const body = req.body === undefined ? {} : object(req.body);
    const { url } = await amani.profiles.createVerificationUrl({
      profile_id: req.params.id,
      ...(body.language !== undefined ? { language: body.language as string } : {}),
      ...(body.redirect_url !== undefined ? { redirect_url: body.redirect_url as string } : {}),
    });
    res.status(201).json({ url });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found' });
  });

  // Express 5 hands rejected async handlers to this middleware.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const parserError = error as { type?: string; status?: number };
    if (error instanceof BadRequest) {
      res.status(400).json({ error: error.message, field: error.field });
    } else if (parserError.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'The body is not valid JSON' });
    } else if (parserError.type === 'entity.too.large') {
      res.status(413).json({ error: `The body is larger than ${MAX_BODY}` });
    } else {
      const answer = httpAnswerFor(error);
      // The client's messages never contain passwords or tokens, so they are safe to log.
      if (answer.alert) log(`${req.method} ${req.path} failed: ${(error as Error).message}`);
      res.status(answer.status).set(answer.headers ?? {}).json(answer.body);
    }
  });
  return app;
}
