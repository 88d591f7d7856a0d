// Login throttling: failed attempts are counted per account (email) and per client address; over the limit the
// login answers 429 with Retry-After. Successful logins do not count. Must never reveal whether the account exists.
// Counters are in process memory (per process; see README for multi-process notes).
import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';

function tooMany(_req: Request, res: Response): void {
  res.status(429).json({
    error: { code: 'too_many_attempts', message: 'Too many failed login attempts. Try again later.' },
  });
}

export function loginThrottles(config: Config): RateLimitRequestHandler[] {
  const windowMs = config.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000;
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: tooMany,
  };
  const perAddress = rateLimit({
    ...common,
    limit: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    identifier: 'login-address',
    keyGenerator: (req) => `addr:${ipKeyGenerator(req.ip ?? 'unknown')}`,
  });
  const perAccount = rateLimit({
    ...common,
    limit: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    identifier: 'login-account',
    keyGenerator: (req) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      return `acct:${email.slice(0, 254)}`;
    },
  });
  return [perAddress, perAccount];
}
