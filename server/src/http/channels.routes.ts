// /api/channels: list (admins: all; others: their own), create and delete (admin). Secrets are write-only.
// start/stop/logout apply to linked WhatsApp numbers (whatsapp-web) only; other kinds answer 409 not_supported.
import { Router } from 'express';
import { CreateChannelBodySchema } from '../../../shared/src/index.js';
import { createChannel, deleteChannel, listChannels } from '../inbox/channel-admin.js';
import { recordAudit, userActor } from '../policy/audit.js';
import { HttpError } from './errors.js';
import { currentUser, requirePermission, requireUser } from './guards.js';
import { param, parse } from './validate.js';

export function channelRoutes(lifecycle?: {
  run(id: string, action: 'start' | 'stop' | 'logout'): Promise<unknown>;
}): Router {
  const r = Router();
  r.get('/', requireUser, async (req, res) => {
    res.json({ items: await listChannels(currentUser(req)) });
  });
  r.post('/', requirePermission('channels:manage'), async (req, res) => {
    res.status(201).json(await createChannel(parse(CreateChannelBodySchema, req.body), userActor(currentUser(req))));
  });
  r.delete('/:id', requirePermission('channels:manage'), async (req, res) => {
    await deleteChannel(param(req, 'id'), userActor(currentUser(req)));
    res.status(204).end();
  });
  r.post('/:id/:action', requirePermission('channels:manage'), async (req, res) => {
    const action = param(req, 'action');
    if (action !== 'start' && action !== 'stop' && action !== 'logout')
      throw new HttpError(404, 'not_found', `No route for POST ${req.path}`);
    if (!lifecycle) {
      throw new HttpError(
        409,
        'not_supported',
        'Only linked WhatsApp numbers are started, stopped or logged out; webhook channels are always on.',
      );
    }
    const id = param(req, 'id');
    const result = await lifecycle.run(id, action);
    await recordAudit({
      actor: userActor(currentUser(req)),
      action: `channel.${action}`,
      target: { type: 'channel', id },
    });
    res.json(result);
  });
  return r;
}
