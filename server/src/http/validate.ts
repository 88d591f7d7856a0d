// Parses request input with a shared zod schema, or throws a 400 that names each bad field. Routes use it so
// bad input never reaches a service. Must never coerce silently beyond what the schema says.
import type { z } from 'zod';
import { HttpError, describeZodError } from './errors.js';

export function parse<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new HttpError(400, 'invalid_input', describeZodError(r.error, where));
  return r.data;
}

/** A route parameter as a plain string (express 5 types allow arrays for wildcard params). */
export function param(req: { params: Record<string, string | string[] | undefined> }, name: string): string {
  const v = req.params[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}
