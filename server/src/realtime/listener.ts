// The one listener that turns domain facts into socket events, rendered (and masked) by render.ts and addressed
// only to rooms allowed to see them (rooms.ts). For a conversation it reads what the fact did not bring (contact,
// consent: coalesced reads of data/views.ts), and emits a conversation's updates in the order they were published.
// Also ends sockets of ended sessions / deactivated users and re-rooms sockets on role changes. Must never compute
// permissions itself beyond asking rooms.ts.
import type { DomainEvents, EventBus } from '../events/bus.js';
import * as views from '../data/views.js';
import { renderConversation, renderMessage, renderReviewItem } from './render.js';
import type { ParleyIo, ServerSideEvents } from './socket.js';
import { conversationRooms, isPolicyRoom, policyRooms, rooms } from './rooms.js';

type Rerooms = Parameters<ServerSideEvents['user:rerooms']>[0];

/** Moves this process's sockets of a user to the policy rooms of the user's new role/channels. */
async function reroomLocal(io: ParleyIo, e: Rerooms): Promise<void> {
  for (const socket of await io.local.in(rooms.user(e.userId)).fetchSockets()) {
    const user = { ...socket.data.user, role: e.role, channelIds: e.channelIds, active: e.active };
    const wanted = new Set(policyRooms(user));
    for (const room of socket.rooms) if (isPolicyRoom(room) && !wanted.has(room)) socket.leave(room);
    socket.join([...wanted]);
    socket.data.user = user;
  }
}

/** What rendering a conversation may have to read (data/views.ts; a test passes its own). */
export type ConversationReads = Pick<typeof views, 'contactOf' | 'consentOf'>;

/** `clustered`: the Redis adapter links several processes (role changes are then relayed to the others). */
export function attachRealtimeListener(
  bus: EventBus,
  io: ParleyIo,
  opts: { clustered?: boolean; reads?: ConversationReads } = {},
): () => void {
  const { contactOf, consentOf } = opts.reads ?? views;
  const onRerooms = (e: Rerooms) => void reroomLocal(io, e);
  io.on('user:rerooms', onRerooms);
  // Per conversation, the render still waiting on its reads: a later update is emitted after it, never before.
  const rendering = new Map<string, Promise<void>>();
  const onConversation = (e: DomainEvents['conversation.updated']): Promise<void> | void => {
    const emit = (contact: NonNullable<typeof e.contact>, consent: NonNullable<typeof e.consent>) =>
      io.to(conversationRooms(e.channelId)).emit('conversation:updated', renderConversation(e, contact, consent));
    const before = rendering.get(e.conversationId);
    if (!before && e.contact && e.consent) {
      emit(e.contact, e.consent);
      return;
    }
    const contactId = e.conversation.contactId;
    const reads = Promise.all([e.contact ?? contactOf(contactId), e.consent ?? consentOf(contactId)]);
    reads.catch(() => {}); // awaited below, after the previous render of this conversation
    const run = (before ?? Promise.resolve())
      .catch(() => {}) // the previous render's failure was reported by its own listener call
      .then(async () => {
        const [contact, consent] = await reads;
        if (contact) emit(contact, consent);
      });
    rendering.set(e.conversationId, run);
    return run.finally(() => {
      if (rendering.get(e.conversationId) === run) rendering.delete(e.conversationId);
    });
  };
  const offs = [
    bus.subscribe('message.created', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:new', renderMessage(e));
    }),
    bus.subscribe('message.updated', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:updated', renderMessage(e));
    }),
    bus.subscribe('message.status', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:status', {
        conversationId: e.conversationId,
        messageId: e.messageId,
        status: e.status,
      });
    }),
    bus.subscribe('conversation.updated', onConversation),
    bus.subscribe('typing', (e) => {
      io.to(conversationRooms(e.channelId))
        .except(rooms.user(e.userId))
        .emit('typing', { conversationId: e.conversationId, who: e.who });
    }),
    bus.subscribe('channel.qr', (e) => {
      io.to(rooms.channelAdmins).emit('channel:qr', e);
    }),
    bus.subscribe('channel.state', (e) => {
      io.to(rooms.channelAdmins).emit('channel:state', e);
    }),
    bus.subscribe('review.created', (e) => {
      io.to(rooms.review).emit('review:new', renderReviewItem(e));
    }),
    bus.subscribe('session.ended', (e) => {
      const target = io.in(rooms.session(e.sessionId));
      target.emit('session:ended', { reason: e.reason });
      target.disconnectSockets(true);
    }),
    bus.subscribe('user.deactivated', (e) => {
      const target = io.in(rooms.user(e.userId));
      target.emit('session:ended', { reason: 'deactivated' });
      target.disconnectSockets(true);
    }),
    bus.subscribe('user.updated', async (e) => {
      if (!e.active) return;
      if (e.changed.includes('password')) {
        // Every session of the user was deleted: their sockets (on every process, through the adapter) go too.
        const target = io.in(rooms.user(e.userId));
        target.emit('session:ended', { reason: 'password_changed' });
        target.disconnectSockets(true);
        return;
      }
      const change = { userId: e.userId, role: e.role, channelIds: e.channelIds, active: e.active };
      // socket.data of a socket on another process is only a copy: each process re-rooms its own sockets.
      if (opts.clustered) io.serverSideEmit('user:rerooms', change);
      await reroomLocal(io, change);
      // The session goes on; the console refetches /api/auth/me to show the new role's navigation.
      if (e.changed.includes('role')) io.in(rooms.user(e.userId)).emit('session:ended', { reason: 'role_changed' });
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    io.off('user:rerooms', onRerooms);
  };
}
