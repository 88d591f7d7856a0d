// Browser (desktop) notifications: what the browser allows, asking for permission only when the user clicks the
// opt-in button, and showing one notification per conversation (tag = conversation id). Must never ask for
// permission on its own, and must never put customer message text or a phone number in a notification (the
// caller passes the masked handle only).
export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window.Notification === 'function' ? window.Notification.permission : 'unsupported';
}

/** Asks the browser (only from a click); resolves with the user's answer. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (typeof window.Notification !== 'function') return 'unsupported';
  try {
    return await window.Notification.requestPermission();
  } catch {
    return window.Notification.permission;
  }
}

/** Shows "New message from <handle>"; clicking it focuses the tab and calls onOpen. */
export function showDesktopNotification(n: { conversationId: string; handle: string; onOpen(): void }): void {
  if (desktopPermission() !== 'granted') return;
  try {
    const shown = new window.Notification('New message · Parley', {
      body: `From ${n.handle}`,
      tag: `parley-conversation-${n.conversationId}`,
    });
    shown.onclick = () => {
      window.focus();
      n.onOpen();
      shown.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: nothing is shown.
  }
}
