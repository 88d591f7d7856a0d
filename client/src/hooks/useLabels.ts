// The workspace's labels (names, colours) for the inbox: loaded once and shared by the list, its filter and the
// thread header; reloaded after a label is created or when a conversation carries a label not known yet.
// Must never invent labels: it shows only what GET /api/labels answered.
import { useEffect, useSyncExternalStore } from 'react';
import type { Label } from '../../../shared/src/index.js';
import { labelsApi } from '../api/labels.js';

let labels: Label[] = [];
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();
/** Label ids a reload was already tried for (a deleted label must not cause reload after reload). */
const triedMissing = new Set<string>();

function emit() {
  for (const l of listeners) l();
}

/** Loads (or reloads) the labels; concurrent calls share one request. */
export function reloadLabels(): Promise<void> {
  loading ??= labelsApi
    .list()
    .then((items) => {
      labels = items;
      emit();
    })
    .catch(() => {})
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function useLabels(): { labels: Label[]; byId: Map<string, Label> } {
  const current = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => labels,
  );
  useEffect(() => {
    if (labels.length === 0) void reloadLabels();
  }, []);
  return { labels: current, byId: new Map(current.map((l) => [l.id, l])) };
}

/** The label chips of a conversation, in label-name order; unknown ids trigger one reload. */
export function labelsOf(ids: readonly string[], byId: Map<string, Label>): Label[] {
  const found = ids.flatMap((id) => {
    const l = byId.get(id);
    return l ? [l] : [];
  });
  const missing = ids.filter((id) => !byId.has(id) && !triedMissing.has(id));
  if (missing.length) {
    for (const id of missing) triedMissing.add(id);
    void reloadLabels();
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
