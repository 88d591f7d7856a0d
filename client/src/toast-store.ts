// A tiny global store of toast notifications, usable from React and from plain modules (the API client).
// Must never render HTML from a message: toasts are plain text, shown by components/Toasts.tsx as React text.
export type ToastKind = 'error' | 'success' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const DISMISS_AFTER_MS: Record<ToastKind, number> = { error: 8000, success: 4000, info: 6000 };
const MAX_TOASTS = 4;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit(): void {
  for (const l of listeners) l();
}

export function dismissToast(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  if (!toasts.some((t) => t.id === id)) return;
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Shows a toast; an identical toast already on screen is refreshed instead of stacked. */
export function showToast(kind: ToastKind, text: string): void {
  const same = toasts.find((t) => t.kind === kind && t.text === text);
  if (same) dismissToast(same.id);
  const toast: Toast = { id: nextId++, kind, text };
  toasts = [...toasts, toast].slice(-MAX_TOASTS);
  timers.set(
    toast.id,
    setTimeout(() => dismissToast(toast.id), DISMISS_AFTER_MS[kind]),
  );
  emit();
}

export function subscribeToasts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getToasts(): readonly Toast[] {
  return toasts;
}
