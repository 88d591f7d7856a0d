// GET /api/media/:messageId — a message's stored media, streamed to users allowed to see its conversation.
// Must never serve a file without that permission check, and never let the browser render it as an active type:
// the type is sniffed from the stored bytes at serve time (media-safety), never taken from the upload's claim.
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { isId } from '../data/ids.js';
import { mongoMessages } from '../data/messages.js';
import { loadVisibleConversation } from '../inbox/access.js';
import { openMediaStream } from '../inbox/media.js';
import { notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { peekStream, planMediaServing, setMediaHeaders } from './media-safety.js';
import { param } from './validate.js';

export function mediaRoutes(): Router {
  const r = Router();
  r.get('/:messageId', requirePermission('conversations:read'), async (req, res) => {
    if (!isId(param(req, 'messageId'))) throw notFound('Media');
    const msg = await mongoMessages.get(param(req, 'messageId'));
    if (!msg?.media?.fileId) throw notFound('Media');
    await loadVisibleConversation(currentUser(req), String(msg.conversationId));
    const file = await openMediaStream(msg.media.fileId);
    if (!file) throw notFound('Media');
    // Sniffed from the file itself (old records too): the declared msg.media.mimeType is never used here.
    const { head, stream } = await peekStream(file.stream);
    setMediaHeaders(res, await planMediaServing(head), msg.media.filename ?? file.filename);
    res.setHeader('Content-Length', String(file.length));
    res.setHeader('Cache-Control', 'private, max-age=3600');
    await pipeline(stream, res).catch(() => res.destroy()); // the reader went away, or the store failed mid-file
  });
  return r;
}
