// Known-device cookies for login throttling (OWASP "device cookies"): after a successful login the browser gets a
// signed, httpOnly cookie naming a random device id bound to that account. A login attempt carrying a valid
// device cookie for the account it names is counted on its own (other people's failures never lock it out).
// Must never hold the email or anything secret in clear, and never trust a cookie whose signature does not match.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize } from 'cookie';
import type { Request, Response } from 'express';

export const DEVICE_COOKIE = 'parley.device';
const MAX_AGE_DAYS = 180;

export interface DeviceCookies {
  /** The device id of a valid cookie for this email, else null. */
  trustedDevice(req: Request, email: string): string | null;
  /** Issues (or renews) the device cookie after a successful login. */
  remember(req: Request, res: Response, email: string): void;
}

const normal = (email: string) => email.trim().toLowerCase();

export function deviceCookies(opts: { secret: string; secure: boolean }): DeviceCookies {
  const key = createHmac('sha256', opts.secret).update('parley-device-cookie').digest();
  const mac = (device: string, email: string) =>
    createHmac('sha256', key)
      .update(`${device}\n${normal(email)}`)
      .digest('base64url');
  const read = (req: Request): { device: string; sig: string } | null => {
    const raw = parseCookies(req.get('cookie') ?? '')[DEVICE_COOKIE];
    const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(raw ?? '');
    return m ? { device: m[1], sig: m[2] } : null;
  };
  return {
    trustedDevice(req, email) {
      const c = read(req);
      if (!c || !email) return null;
      const want = Buffer.from(mac(c.device, email));
      const got = Buffer.from(c.sig);
      return want.length === got.length && timingSafeEqual(want, got) ? c.device : null;
    },
    remember(req, res, email) {
      const device = this.trustedDevice(req, email) ?? randomBytes(16).toString('base64url');
      res.append(
        'Set-Cookie',
        serialize(DEVICE_COOKIE, `${device}.${mac(device, email)}`, {
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.secure,
          path: '/api/auth',
          maxAge: MAX_AGE_DAYS * 86_400,
        }),
      );
    },
  };
}
