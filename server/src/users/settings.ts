// A user's own console settings (new-message alerts): read and change them for the signed-in user only — the
// caller passes the session's user id, never one from the request. Must never touch another user's record or
// any field but the settings.
import { DEFAULT_ALERT_SETTINGS, type MySettings, type UpdateMySettingsBody } from '../../../shared/src/index.js';
import { mongoUsers, type UserLean, type UserStore } from '../data/users.js';
import { notFound } from '../errors.js';

type SettingsStore = Pick<UserStore, 'get' | 'setAlerts'>;

function toSettings(u: UserLean): MySettings {
  const a = (u as { alerts?: { sound?: boolean | null; desktop?: boolean | null } | null }).alerts;
  return {
    alerts: {
      sound: a?.sound ?? DEFAULT_ALERT_SETTINGS.sound,
      desktop: a?.desktop ?? DEFAULT_ALERT_SETTINGS.desktop,
    },
  };
}

export class UserSettingsService {
  constructor(private readonly users: SettingsStore = mongoUsers) {}

  async get(userId: string): Promise<MySettings> {
    const u = await this.users.get(userId);
    if (!u) throw notFound('User');
    return toSettings(u);
  }

  async update(userId: string, body: UpdateMySettingsBody): Promise<MySettings> {
    if (!(await this.users.get(userId))) throw notFound('User');
    await this.users.setAlerts(userId, body.alerts);
    return this.get(userId);
  }
}
