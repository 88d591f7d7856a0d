// The unread count shown in the tab title and on the Inbox nav item, on every page: the unread counts of the
// newest conversations (one page of 100, loaded at start and after a reconnect) kept live from
// `conversation:updated`. The server only sends conversations this user may see, and unreadCount only grows with
// a customer's message — never with the user's own replies or notes — so a rise is a new customer message: it
// calls onCustomerMessage. Must never count a conversation the server did not send.
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { Conversation } from '../../../shared/src/index.js';
import { inboxApi } from '../api/inbox.js';
import { useLive } from './useLiveConnection.js';

const FIRST_PAGE = 100;

export function totalUnread(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}

export function useUnreadAlerts(enabled: boolean, onCustomerMessage: (c: Conversation) => void): number {
  const { socket } = useLive();
  const [counts, setCounts] = useState<ReadonlyMap<string, number>>(new Map());
  const known = useRef(new Map<string, number>());
  const [reload, setReload] = useState(0);
  const onRise = useEffectEvent((c: Conversation) => onCustomerMessage(c));

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    inboxApi.listConversations({}, null, { quiet: true, limit: FIRST_PAGE }).then(
      (page) => {
        if (cancelled) return;
        // Updates that arrived meanwhile are newer than the page: keep them.
        const next = new Map(page.items.map((c) => [c.id, c.unreadCount]));
        for (const [id, n] of known.current) next.set(id, n);
        known.current = next;
        setCounts(new Map(next));
      },
      () => {
        // No count until the next reconnect or update.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [enabled, reload]);

  useEffect(() => {
    if (!enabled) return;
    const onUpdated = ({ conversation: c }: { conversation: Conversation }) => {
      const before = known.current.get(c.id) ?? 0;
      known.current.set(c.id, c.unreadCount);
      setCounts(new Map(known.current));
      if (c.unreadCount > before) onRise(c);
    };
    let connectedOnce = socket.connected;
    const onConnect = () => {
      if (connectedOnce) setReload((r) => r + 1);
      connectedOnce = true;
    };
    socket.on('conversation:updated', onUpdated);
    socket.on('connect', onConnect);
    return () => {
      socket.off('conversation:updated', onUpdated);
      socket.off('connect', onConnect);
    };
  }, [socket, enabled]);

  return enabled ? totalUnread(counts) : 0;
}
