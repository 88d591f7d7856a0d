// GET /api/media/:messageId — a message's stored media, streamed to users allowed to see its conversation.
// Must never serve a file without that permission check, and never let the browser sniff or render it as HTML.
import { Router } from 'express';
import { MessageModel } from '../models/message.js';
import { loadVisibleConversation } from '../inbox/access.js';
import { openMediaStream } from '../inbox/media.js';
import { notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param } from './validate.js';

const INLINE = /^(image\/(jpeg|png|webp|gif)|video\/(mp4|3gpp)|audio\/(ogg|mpeg|mp4|aac|amr))$/;

export function mediaRoutes(): Router {
  const r = Router();
  r.get('/:messageId', requirePermission('conversations:read'), async (req, res) => {
    if (!/^[a-f0-9]{24}$/i.test(param(req, 'messageId'))) throw notFound('Media');
    const msg = await MessageModel.findById(param(req, 'messageId')).lean();
    if (!msg?.media?.fileId) throw notFound('Media');
    await loadVisibleConversation(currentUser(req), String(msg.conversationId));
    const file = await openMediaStream(msg.media.fileId);
    if (!file) throw notFound('Media');
    const type = msg.media.mimeType ?? 'application/octet-stream';
    const filename = (msg.media.filename ?? 'file').replace(/[^\w.\- ]/g, '_');
    res.setHeader('Content-Type', INLINE.test(type) ? type : 'application/octet-stream');
    res.setHeader('Content-Length', String(file.length));
    res.setHeader('Content-Disposition', `${INLINE.test(type) ? 'inline' : 'attachment'}; filename="${filename}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=3600');
    file.stream.pipe(res);
  });
  return r;
}
