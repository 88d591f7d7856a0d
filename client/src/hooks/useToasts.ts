// React binding for the toast store. Must never mutate the store's array (it is replaced on every change).
import { useSyncExternalStore } from 'react';
import { getToasts, subscribeToasts, type Toast } from '../toast-store.js';

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribeToasts, getToasts, getToasts);
}
