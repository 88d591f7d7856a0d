// The one error body shape of the API: {"error": {"code": "snake_case_code", "message": "human text"}}.
import { z } from 'zod';

export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
