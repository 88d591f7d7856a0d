// Renders the toast stack (bottom-left; never over the inbox composer: styles/shell.css narrows it to the
// conversation list's width, or moves it to the top on phones). Messages are React text only. Must never use
// dangerouslySetInnerHTML.
import { dismissToast } from '../toast-store.js';
import { useToasts } from '../hooks/useToasts.js';

export function Toasts() {
  const toasts = useToasts();
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-text">{t.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
