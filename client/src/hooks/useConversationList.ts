// The inbox's conversation list: loads pages for the current filters (newest activity first, `nextCursor`
// paging) and keeps them live from `conversation:updated` — a changed conversation is upserted and re-sorted,
// or dropped when it no longer matches the filters. Refetches after a reconnect (events may have been missed).
// Must never show a conversation the server did not send (the socket only delivers what the user may see).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Conversation } from '../../../shared/src/index.js';
import { inboxApi, type ConversationFilters } from '../api/inbox.js';
import { useLive } from './useLiveConnection.js';

export interface ConversationListState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  items: Conversation[];
  nextCursor: string | null;
  loadingMore: boolean;
  loadMore(): void;
  retry(): void;
  /** Applies a conversation we got from an action or the thread (same rules as a socket update). */
  upsert(conversation: Conversation): void;
}

function activity(c: Conversation): number {
  const t = c.lastMessageAt ? Date.parse(c.lastMessageAt) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function sortConversations(items: Conversation[]): Conversation[] {
  return [...items].sort((a, b) => activity(b) - activity(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Client-side version of the server's filters, for live updates. `q` can only be approximated here. */
export function matchesFilters(c: Conversation, f: ConversationFilters, myId: string, known: boolean): boolean {
  if (f.assignee === 'me' && c.assignee !== myId) return false;
  if (f.assignee === 'none' && c.assignee !== null) return false;
  if (f.status && c.status !== f.status) return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.label && !c.labels.includes(f.label)) return false;
  if (f.q && !known) {
    const q = f.q.toLowerCase();
    const fields = [c.contact.handle, c.contact.displayName, c.contact.maskedPhone];
    if (!fields.some((v) => v?.toLowerCase().includes(q))) return false;
  }
  return true;
}

function dedupe(items: Conversation[]): Conversation[] {
  const seen = new Set<string>();
  return items.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

interface Loaded {
  /** The filters (JSON) these items were loaded for; '' forces the loading state. */
  key: string;
  items: Conversation[];
  nextCursor: string | null;
  error: string | null;
}

export function useConversationList(filters: ConversationFilters, myId: string): ConversationListState {
  const { socket } = useLive();
  const [data, setData] = useState<Loaded>({ key: '', items: [], nextCursor: null, error: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const generation = useRef(0);
  const filtersKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  const cursorRef = useRef<string | null>(null);

  useEffect(() => {
    filtersRef.current = filters;
  });

  useEffect(() => {
    const gen = ++generation.current;
    const current = JSON.parse(filtersKey) as ConversationFilters;
    inboxApi.listConversations(current, null, { quiet: true }).then(
      (page) => {
        if (gen !== generation.current) return;
        cursorRef.current = page.nextCursor;
        setData({
          key: filtersKey,
          items: sortConversations(dedupe(page.items)),
          nextCursor: page.nextCursor,
          error: null,
        });
      },
      (err: Error) => {
        if (gen !== generation.current) return;
        setData({ key: filtersKey, items: [], nextCursor: null, error: err.message });
      },
    );
  }, [filtersKey, reloadKey]);

  const upsert = useCallback(
    (c: Conversation) => {
      setData((d) => {
        const list = d.items;
        const index = list.findIndex((x) => x.id === c.id);
        const known = index !== -1;
        if (!matchesFilters(c, filtersRef.current, myId, known)) {
          return known ? { ...d, items: list.filter((x) => x.id !== c.id) } : d;
        }
        if (!known) {
          // Older than the loaded page while more pages exist: it will arrive with "Load more".
          const last = list[list.length - 1];
          if (cursorRef.current && last && activity(c) < activity(last)) return d;
          return { ...d, items: sortConversations([c, ...list]) };
        }
        const next = list.slice();
        next[index] = c;
        return { ...d, items: sortConversations(next) };
      });
    },
    [myId],
  );

  useEffect(() => {
    const onUpdated = ({ conversation }: { conversation: Conversation }) => upsert(conversation);
    let connectedOnce = socket.connected;
    const onConnect = () => {
      // A reconnect: events were possibly missed while away, so reload the first page.
      if (connectedOnce) setReloadKey((k) => k + 1);
      connectedOnce = true;
    };
    socket.on('conversation:updated', onUpdated);
    socket.on('connect', onConnect);
    return () => {
      socket.off('conversation:updated', onUpdated);
      socket.off('connect', onConnect);
    };
  }, [socket, upsert]);

  const loadMore = useCallback(() => {
    const cursor = cursorRef.current;
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    inboxApi
      .listConversations(filtersRef.current, cursor)
      .then(
        (page) => {
          if (gen !== generation.current) return;
          cursorRef.current = page.nextCursor;
          setData((d) => ({
            ...d,
            items: sortConversations(dedupe([...d.items, ...page.items])),
            nextCursor: page.nextCursor,
          }));
        },
        () => {
          // The API client showed the error; "Load more" stays available.
        },
      )
      .finally(() => setLoadingMore(false));
  }, [loadingMore]);

  const retry = useCallback(() => {
    setData((d) => ({ ...d, key: '', error: null }));
    setReloadKey((k) => k + 1);
  }, []);

  const current = data.key === filtersKey;
  const status: ConversationListState['status'] = !current ? 'loading' : data.error ? 'error' : 'ready';
  return {
    status,
    error: current ? data.error : null,
    items: current ? data.items : [],
    nextCursor: current ? data.nextCursor : null,
    loadingMore,
    loadMore,
    retry,
    upsert,
  };
}
