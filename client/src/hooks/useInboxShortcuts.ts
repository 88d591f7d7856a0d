// The inbox's keyboard shortcuts: Alt+↓ / Alt+↑ (anywhere) and j / k (outside text fields) open the next /
// previous conversation of the list; / or c focuses the composer; ? opens the help sheet. Enter sends and
// Shift+Enter adds a line in the composer itself. Must never act while the user types in a field (except the
// Alt+arrow pair, which no field uses) or while a dialog is open, and never with Ctrl/Meta held.
import { useEffect, useEffectEvent } from 'react';
import { navigate } from './useHashRoute.js';

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ['Alt', '↓'], does: 'Next conversation (also j outside text fields)' },
  { keys: ['Alt', '↑'], does: 'Previous conversation (also k outside text fields)' },
  { keys: ['/'], does: 'Write a reply (also c)' },
  { keys: ['Enter'], does: 'Send the reply' },
  { keys: ['Shift', 'Enter'], does: 'New line in the reply' },
  { keys: ['Esc'], does: 'Leave the reply box / close this sheet' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

export function focusComposer(): boolean {
  const box = document.querySelector<HTMLTextAreaElement>('[data-testid="composer"] textarea:not(:disabled)');
  box?.focus();
  return box !== null;
}

export function useInboxShortcuts(opts: { ids: readonly string[]; selectedId: string | null; onHelp(): void }) {
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.isComposing) return;
    if (document.querySelector('dialog[open]')) return;
    const typing = typingIn(e.target);
    const step = (delta: number) => {
      const { ids, selectedId } = opts;
      if (ids.length === 0) return;
      const at = selectedId ? ids.indexOf(selectedId) : -1;
      const next = at === -1 ? (delta > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + delta));
      e.preventDefault();
      if (ids[next] !== selectedId) navigate(`/inbox/${ids[next]}`);
    };
    if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) return step(e.key === 'ArrowDown' ? 1 : -1);
    if (e.altKey) return;
    if (typing) {
      if (e.key === 'Escape' && e.target instanceof HTMLTextAreaElement) e.target.blur();
      return;
    }
    if (e.key === 'j') return step(1);
    if (e.key === 'k') return step(-1);
    if ((e.key === '/' || e.key === 'c') && focusComposer()) return e.preventDefault();
    if (e.key === '?') {
      e.preventDefault();
      opts.onHelp();
    }
  });

  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
