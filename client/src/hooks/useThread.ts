// One open conversation: its detail (GET /api/conversations/:id) and messages (oldest-first pages, "before"
// pages backwards), kept live from the socket — `conversation:updated`, `message:new` (deduped by id: the POST
// answer and the event both deliver our own message), `message:status` (ticks), `typing` (shown ~4 s). Marks
// the conversation read on open and when a customer message arrives while it is on screen.
// Must never render or keep messages of another conversation than the one asked for.
import { useCallback, useEffect, useRef, useState } from 'react';
import { laterStatus, type Conversation, type Message } from '../../../shared/src/index.js';
import { inboxApi } from '../api/inbox.js';
import { useLive } from './useLiveConnection.js';

export const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 4000;

export interface ThreadState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  conversation: Conversation | null;
  messages: Message[];
  hasOlder: boolean;
  loadingOlder: boolean;
  typing: string | null;
  loadOlder(): void;
  /** Adds or replaces messages we got from a POST answer. */
  addMessage(message: Message): void;
  setConversation(conversation: Conversation): void;
  retry(): void;
}

function byTime(a: Message, b: Message): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Merges messages by id (later copies win, ticks never go back) and sorts them oldest first. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const map = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) {
    const old = map.get(m.id);
    map.set(m.id, old ? { ...old, ...m, status: laterStatus(old.status, m.status) } : m);
  }
  return [...map.values()].sort(byTime);
}

export function useThread(conversationId: string, myName: string, onConversation: (c: Conversation) => void) {
  const { socket } = useLive();
  const [status, setStatus] = useState<ThreadState['status']>('loading');
  const [error, setError] = useState<string | null>(null);
  const [conversation, setConversationState] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [typing, setTyping] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const readTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onConversationRef = useRef(onConversation);
  /** Status events that arrived before their message (our own send, before the POST answer). */
  const earlyStatus = useRef(new Map<string, Message['status']>());
  const withEarlyStatus = useCallback((m: Message): Message => {
    const early = earlyStatus.current.get(m.id);
    if (!early) return m;
    earlyStatus.current.delete(m.id);
    return { ...m, status: laterStatus(m.status, early) };
  }, []);

  useEffect(() => {
    onConversationRef.current = onConversation;
  });

  const setConversation = useCallback((c: Conversation) => {
    setConversationState(c);
    onConversationRef.current(c);
  }, []);

  const markRead = useCallback(
    (delayMs: number) => {
      clearTimeout(readTimer.current);
      readTimer.current = setTimeout(() => {
        if (document.visibilityState !== 'visible') return;
        inboxApi.markRead(conversationId).catch(() => {
          // Not fatal: the unread badge stays until the next successful read.
        });
      }, delayMs);
    },
    [conversationId],
  );

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      inboxApi.getConversation(conversationId, { quiet: true }),
      inboxApi.listMessages(conversationId, undefined, { quiet: true }),
    ]).then(
      ([conv, items]) => {
        if (cancelled) return;
        setConversationState(conv);
        // Show it as read at once; the server confirms with conversation:updated.
        onConversationRef.current({ ...conv, unreadCount: 0 });
        setMessages((current) => (attempt > 0 ? mergeMessages(current, items) : mergeMessages([], items)));
        setHasOlder((h) => (attempt > 0 ? h : items.length >= PAGE_SIZE));
        setStatus('ready');
        setError(null);
        markRead(0);
      },
      (err: Error) => {
        if (cancelled) return;
        setError(err.message);
        setStatus('error');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [conversationId, attempt, markRead]);

  useEffect(() => {
    const onUpdated = ({ conversation: c }: { conversation: Conversation }) => {
      if (c.id === conversationId) setConversationState(c);
    };
    const onMessage = ({ conversationId: id, message }: { conversationId: string; message: Message }) => {
      if (id !== conversationId) return;
      setMessages((list) => mergeMessages(list, [withEarlyStatus(message)]));
      if (message.direction === 'in') {
        setTyping(null);
        markRead(600);
      }
    };
    const onStatus = (p: { conversationId: string; messageId: string; status: Message['status'] }) => {
      if (p.conversationId !== conversationId) return;
      setMessages((list) => {
        if (!list.some((m) => m.id === p.messageId)) {
          earlyStatus.current.set(p.messageId, p.status);
          return list;
        }
        return list.map((m) => (m.id === p.messageId ? { ...m, status: laterStatus(m.status, p.status) } : m));
      });
      // The event carries no reason: fetch the latest page again so "failed: <why>" can be shown.
      if (p.status === 'failed' || p.status === 'held' || p.status === 'blocked') {
        inboxApi.listMessages(conversationId, undefined, { quiet: true }).then(
          (items) => setMessages((list) => mergeMessages(list, items)),
          () => {
            // The status is shown without its reason.
          },
        );
      }
    };
    const onTyping = ({ conversationId: id, who }: { conversationId: string; who: string }) => {
      if (id !== conversationId || who === myName) return;
      setTyping(who);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
    };
    let connectedOnce = socket.connected;
    const onConnect = () => {
      if (connectedOnce) setAttempt((a) => a + 1); // reconnect: fetch the latest page again and merge
      connectedOnce = true;
    };
    socket.on('conversation:updated', onUpdated);
    socket.on('message:new', onMessage);
    socket.on('message:status', onStatus);
    socket.on('typing', onTyping);
    socket.on('connect', onConnect);
    return () => {
      socket.off('conversation:updated', onUpdated);
      socket.off('message:new', onMessage);
      socket.off('message:status', onStatus);
      socket.off('typing', onTyping);
      socket.off('connect', onConnect);
    };
  }, [socket, conversationId, myName, markRead, withEarlyStatus]);

  useEffect(
    () => () => {
      clearTimeout(typingTimer.current);
      clearTimeout(readTimer.current);
    },
    [],
  );

  const loadOlder = useCallback(() => {
    const oldest = messages[0];
    if (!oldest || loadingOlder) return;
    setLoadingOlder(true);
    inboxApi
      .listMessages(conversationId, oldest.id)
      .then(
        (items) => {
          setMessages((list) => mergeMessages(list, items));
          setHasOlder(items.length >= PAGE_SIZE);
        },
        () => {
          // The API client showed the error; the button stays.
        },
      )
      .finally(() => setLoadingOlder(false));
  }, [conversationId, messages, loadingOlder]);

  const addMessage = useCallback(
    (m: Message) => setMessages((list) => mergeMessages(list, [withEarlyStatus(m)])),
    [withEarlyStatus],
  );
  const retry = useCallback(() => {
    setStatus('loading');
    setAttempt((a) => a + 1);
  }, []);

  const state: ThreadState = {
    status,
    error,
    conversation,
    messages,
    hasOlder,
    loadingOlder,
    typing,
    loadOlder,
    addMessage,
    setConversation,
    retry,
  };
  return state;
}
