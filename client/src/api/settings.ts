// The signed-in user's own console settings (docs/API.md "Own settings"): GET/PATCH /api/users/me. Must never
// send a user id: the server only ever changes the caller's own settings.
import { MySettingsSchema, type MySettings, type UpdateMySettingsBody } from '../../../shared/src/index.js';
import { request, type RequestOptions } from './client.js';

export const settingsApi = {
  get(options: RequestOptions = {}): Promise<MySettings> {
    return request('GET', '/api/users/me', undefined, MySettingsSchema, options);
  },
  update(body: UpdateMySettingsBody): Promise<MySettings> {
    return request('PATCH', '/api/users/me', body, MySettingsSchema);
  },
};
