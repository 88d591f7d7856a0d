// A minimal hash router: the current route is the part after '#', e.g. '#/admin/users' → '/admin/users'.
// Hash routes need no server-side fallback. Must never evaluate or render the hash as HTML.
import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function currentPath(): string {
  const raw = window.location.hash.replace(/^#/, '');
  return raw.startsWith('/') ? raw : `/${raw}`;
}

export function useHashRoute(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function navigate(path: string, replace = false): void {
  const target = `#${path}`;
  if (window.location.hash === target) return;
  if (replace) window.history.replaceState(null, '', target);
  else window.location.hash = target;
  // replaceState does not fire hashchange; tell the subscribers ourselves.
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The href for a route, for use in <a> elements. */
export function hrefFor(path: string): string {
  return `#${path}`;
}
