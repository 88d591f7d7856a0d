// /api/conversations: list, read, messages, send (text/template/note), attachments, assign, close, reopen,
// pending, snooze, labels, read, bulk.
// Thin: validate → inbox services → views. Must never send to a provider (inbox/sender does, after the guard).
import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import {
  AssignBodySchema,
  BulkActionBodySchema,
  ConversationLabelsBodySchema,
  ConversationListQuerySchema,
  SnoozeBodySchema,
  MessageListQuerySchema,
  PostMessageBodySchema,
} from '../../../shared/src/index.js';
import type { MessageSender } from '../inbox/sender.js';
import type { ConversationActions } from '../inbox/conversation-actions.js';
import { getConversation, listConversations, listMessages } from '../inbox/conversation-queries.js';
import { loadVisibleConversation } from '../inbox/access.js';
import { applyBulk } from '../inbox/bulk.js';
import { deleteMediaFile, storeMediaFile } from '../inbox/media.js';
import { HttpError, badRequest } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

function attachmentKind(mime: string): 'image' | 'video' | 'audio' | 'document' {
  if (/^image\/(jpeg|png|webp)$/.test(mime)) return 'image';
  if (/^video\//.test(mime)) return 'video';
  if (/^audio\//.test(mime)) return 'audio';
  return 'document';
}

/** multer with errors mapped to the API's error shape (413 too large, 400 otherwise). */
function singleFile(field: string): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send the file name as raw UTF-8 (busboy's latin1 default would garble "é" into "Ã©").
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 },
  }).single(field);
  return (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE')
        return next(
          new HttpError(413, 'payload_too_large', `Files up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB can be sent`),
        );
      next(badRequest(`file: ${(err as Error).message}`));
    });
}

export function conversationRoutes(deps: { sender: MessageSender; actions: ConversationActions }): Router {
  const r = Router();
  r.use(requirePermission('conversations:read'));
  const who = (req: Parameters<RequestHandler>[0]) => {
    const u = currentUser(req);
    return { user: u, sender: { type: 'user' as const, id: u.id, name: u.name } };
  };

  r.get('/', async (req, res) => {
    res.json(await listConversations(currentUser(req), parse(ConversationListQuerySchema, req.query, 'query')));
  });
  r.get('/:id', async (req, res) => {
    res.json(await getConversation(currentUser(req), param(req, 'id')));
  });
  r.get('/:id/messages', async (req, res) => {
    const q = parse(MessageListQuerySchema, req.query, 'query');
    res.json({ items: await listMessages(currentUser(req), param(req, 'id'), q) });
  });
  r.post('/:id/messages', async (req, res) => {
    const { user, sender } = who(req);
    const body = parse(PostMessageBodySchema, req.body);
    await loadVisibleConversation(user, param(req, 'id'), 'conversations:reply');
    res.status(201).json(await deps.sender.send(param(req, 'id'), body, sender));
  });
  r.post('/:id/attachments', singleFile('file'), async (req, res) => {
    const { user, sender } = who(req);
    await loadVisibleConversation(user, param(req, 'id'), 'conversations:reply');
    const file = req.file;
    if (!file) throw badRequest('file: attach one file in the "file" field (multipart/form-data)');
    const caption = typeof req.body?.caption === 'string' ? req.body.caption.trim().slice(0, 1024) : undefined;
    const filename = file.originalname.replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'file';
    const kind = attachmentKind(file.mimetype);
    const fileId = await storeMediaFile(file.buffer, { contentType: file.mimetype, filename });
    try {
      const msg = await deps.sender.send(
        param(req, 'id'),
        { kind, caption: caption || undefined, media: { fileId, mimeType: file.mimetype, filename, size: file.size } },
        sender,
      );
      res.status(201).json(msg);
    } catch (err) {
      await deleteMediaFile(fileId);
      throw err;
    }
  });
  r.get('/:id/assignees', async (req, res) => {
    res.json({ items: await deps.actions.assignees(currentUser(req), param(req, 'id')) });
  });
  r.post('/:id/assign', async (req, res) => {
    const { userId } = parse(AssignBodySchema, req.body);
    res.json(await deps.actions.assign(currentUser(req), param(req, 'id'), userId));
  });
  r.post('/:id/close', async (req, res) => {
    res.json(await deps.actions.close(currentUser(req), param(req, 'id')));
  });
  r.post('/:id/reopen', async (req, res) => {
    res.json(await deps.actions.reopen(currentUser(req), param(req, 'id')));
  });
  r.post('/:id/pending', async (req, res) => {
    res.json(await deps.actions.markPending(currentUser(req), param(req, 'id')));
  });
  r.post('/:id/snooze', async (req, res) => {
    const { until } = parse(SnoozeBodySchema, req.body);
    res.json(await deps.actions.snooze(currentUser(req), param(req, 'id'), new Date(until)));
  });
  r.post('/:id/labels', async (req, res) => {
    res.json(
      await deps.actions.changeLabels(
        currentUser(req),
        param(req, 'id'),
        parse(ConversationLabelsBodySchema, req.body),
      ),
    );
  });
  r.post('/bulk', async (req, res) => {
    res.json(await applyBulk(deps.actions, currentUser(req), parse(BulkActionBodySchema, req.body)));
  });
  r.post('/:id/read', async (req, res) => {
    res.json(await deps.actions.markRead(currentUser(req), param(req, 'id')));
  });
  return r;
}
