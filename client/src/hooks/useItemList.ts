// The list behind an admin CRUD screen, kept editable in place: loaded with useResource, then items saved or
// deleted on the server are replaced, added or removed by id. Must never edit the list before the server
// accepted the change, and never show stale items after a failed load (the page shows the error instead).
import { useCallback } from 'react';
import { useResource, type Resource } from './useResource.js';

export interface ItemList<T> extends Resource<T[]> {
  /** The items when loaded and the last load did not fail (what the count beside the title counts). */
  items: T[] | null;
  /** Replaces the item with the same id where it is, or adds it at the end. */
  upsert(item: T): void;
  remove(id: string): void;
}

export function useItemList<T extends { id: string }>(fetchItems: () => Promise<T[]>): ItemList<T> {
  const resource = useResource(fetchItems);
  const { set } = resource;
  const upsert = useCallback(
    (item: T) =>
      set((items) =>
        items.some((x) => x.id === item.id) ? items.map((x) => (x.id === item.id ? item : x)) : [...items, item],
      ),
    [set],
  );
  const remove = useCallback((id: string) => set((items) => items.filter((x) => x.id !== id)), [set]);
  return { ...resource, items: resource.error === null ? resource.data : null, upsert, remove };
}
