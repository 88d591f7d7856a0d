// Login throttling without locking the rightful user out (OWASP ASVS: no hard lockout of a known email).
// Failed attempts are counted:
// - per client address (all accounts): over the limit that address gets 429 + Retry-After;
// - per account and address, for browsers without a known-device cookie (device.ts): over the limit that
//   address gets 429 for that account — an attacker's failures block the attacker, not the account;
// - per known device: a browser that signed in to this account before has its own counter, so nobody else's
//   failures lock it out;
// - per account from anywhere: over the limit every attempt without a known-device cookie is slowed down
//   (a growing delay before the password is checked), but a correct password still signs in.
// Successful logins do not count. Counters are in process memory (per process; see README). Must never reveal
// whether the account exists.
import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.js';
import type { DeviceCookies } from './device.js';

/** Delay added per failure beyond the account's limit, and its ceiling. */
export const SLOWDOWN_STEP_MS = 500;
export const SLOWDOWN_MAX_MS = 10_000;

function tooMany(_req: Request, res: Response): void {
  res.status(429).json({
    error: { code: 'too_many_attempts', message: 'Too many failed login attempts. Try again later.' },
  });
}

const emailOf = (req: Request) =>
  (typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '').slice(0, 254);
const addressOf = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

export function loginThrottles(config: Config, devices: DeviceCookies): RequestHandler[] {
  const windowMs = config.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000;
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: tooMany,
  };
  const device = (req: Request) => devices.trustedDevice(req, emailOf(req));
  const perAddress = rateLimit({
    ...common,
    limit: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    identifier: 'login-address',
    keyGenerator: (req) => `addr:${addressOf(req)}`,
  });
  const perAccountAndAddress: RateLimitRequestHandler = rateLimit({
    ...common,
    limit: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    identifier: 'login-account-address',
    skip: (req) => device(req) !== null,
    keyGenerator: (req) => `acct:${emailOf(req)}|addr:${addressOf(req)}`,
  });
  const perKnownDevice = rateLimit({
    ...common,
    limit: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    identifier: 'login-device',
    skip: (req) => device(req) === null,
    keyGenerator: (req) => `device:${device(req)}|acct:${emailOf(req)}`,
  });
  const perAccountSlowdown = slowDown({
    windowMs,
    skipSuccessfulRequests: true,
    delayAfter: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    delayMs: (used) => (used - config.LOGIN_MAX_FAILURES_PER_ACCOUNT) * SLOWDOWN_STEP_MS,
    maxDelayMs: SLOWDOWN_MAX_MS,
    identifier: 'login-account-slowdown',
    skip: (req) => device(req) !== null,
    keyGenerator: (req) => `acct:${emailOf(req)}`,
  });
  return [perAddress, perAccountAndAddress, perKnownDevice, perAccountSlowdown];
}
