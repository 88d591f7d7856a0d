// The one listener that turns domain events into socket events, addressed only to rooms allowed to see them
// (rooms.ts). Also ends sockets of ended sessions / deactivated users and re-rooms sockets on role changes.
// Must never compute permissions itself beyond asking rooms.ts.
import type { EventBus } from '../events/bus.js';
import type { ParleyIo } from './socket.js';
import { conversationRooms, isPolicyRoom, policyRooms, rooms } from './rooms.js';

export function attachRealtimeListener(bus: EventBus, io: ParleyIo): () => void {
  const offs = [
    bus.subscribe('message.created', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:new', {
        conversationId: e.conversationId,
        message: e.message,
      });
    }),
    bus.subscribe('message.updated', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:updated', {
        conversationId: e.conversationId,
        message: e.message,
      });
    }),
    bus.subscribe('message.status', (e) => {
      io.to(conversationRooms(e.channelId)).emit('message:status', {
        conversationId: e.conversationId,
        messageId: e.messageId,
        status: e.status,
      });
    }),
    bus.subscribe('conversation.updated', (e) => {
      io.to(conversationRooms(e.channelId)).emit('conversation:updated', { conversation: e.conversation });
    }),
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
      io.to(rooms.review).emit('review:new', e);
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
      for (const socket of await io.in(rooms.user(e.userId)).fetchSockets()) {
        const user = { ...socket.data.user, role: e.role, channelIds: e.channelIds, active: e.active };
        const wanted = new Set(policyRooms(user));
        for (const room of socket.rooms) if (isPolicyRoom(room) && !wanted.has(room)) socket.leave(room);
        socket.join([...wanted]);
        socket.data.user = user;
      }
      // The session goes on; the console refetches /api/auth/me to show the new role's navigation.
      if (e.changed.includes('role')) io.in(rooms.user(e.userId)).emit('session:ended', { reason: 'role_changed' });
    }),
  ];
  return () => offs.forEach((off) => off());
}
