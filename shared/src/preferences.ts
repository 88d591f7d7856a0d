// A staff user's own console settings (docs/API.md "Users" → /api/users/me): new-message alerts (sound, desktop
// notifications). Only the user themself reads or changes them. Must never import server or client code.
import { z } from 'zod';

export const AlertSettingsSchema = z.object({ sound: z.boolean(), desktop: z.boolean() });
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { sound: false, desktop: false };

export const MySettingsSchema = z.object({ alerts: AlertSettingsSchema });
export type MySettings = z.infer<typeof MySettingsSchema>;

export const UpdateMySettingsBodySchema = z.strictObject({
  alerts: z
    .strictObject({ sound: z.boolean().optional(), desktop: z.boolean().optional() })
    .refine((a) => a.sound !== undefined || a.desktop !== undefined, {
      message: 'name at least one of sound, desktop',
    }),
});
export type UpdateMySettingsBody = z.infer<typeof UpdateMySettingsBodySchema>;
