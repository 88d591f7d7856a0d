// Loads the list behind an admin screen and keeps it editable in place: loading → ready or error (with retry),
// upsert and remove by id after a successful save. Must never show stale items after a failed reload.
import { useEffect, useRef, useState } from 'react';

export type ItemListLoad<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: T[] };

export function useItemList<T extends { id: string }>(fetchItems: () => Promise<T[]>) {
  const [load, setLoad] = useState<ItemListLoad<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const fetchRef = useRef(fetchItems);
  useEffect(() => {
    fetchRef.current = fetchItems;
  });

  useEffect(() => {
    let cancelled = false;
    fetchRef.current().then(
      (items) => !cancelled && setLoad({ status: 'ready', items }),
      (e: Error) => !cancelled && setLoad({ status: 'error', message: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  return {
    load,
    retry(): void {
      setLoad({ status: 'loading' });
      setAttempt((a) => a + 1);
    },
    upsert(item: T): void {
      setLoad((l) => (l.status === 'ready' ? { ...l, items: [...l.items.filter((x) => x.id !== item.id), item] } : l));
    },
    remove(id: string): void {
      setLoad((l) => (l.status === 'ready' ? { ...l, items: l.items.filter((x) => x.id !== id) } : l));
    },
  };
}
