// The top bar's alerts menu: a bell button that opens the user's new-message alert settings — a sound, and
// desktop notifications behind an explicit opt-in button that respects what the browser was told. Must never
// ask the browser for permission unless the user pressed the button.
import { useEffect, useRef, useState } from 'react';
import type { AlertSettingsState } from '../hooks/useAlertSettings.js';

function BellIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm0 19a3 3 0 0 0 2.8-2H9.2A3 3 0 0 0 12 22Z"
        fill="currentColor"
      />
    </svg>
  );
}

function DesktopChoice(props: { alerts: AlertSettingsState }) {
  const { settings, permission, saving } = props.alerts;
  if (permission === 'unsupported') return <p className="muted">This browser cannot show notifications.</p>;
  if (permission === 'denied') {
    return (
      <p className="muted" data-testid="desktop-denied">
        Notifications are blocked for this site. Allow them in the browser’s site settings to turn them on.
      </p>
    );
  }
  if (settings.desktop && permission === 'granted') {
    return (
      <p className="alerts-row">
        <span data-testid="desktop-state">Desktop notifications are on.</span>
        <button
          type="button"
          className="btn btn-small"
          disabled={saving}
          onClick={() => void props.alerts.setDesktop(false)}
        >
          Turn off
        </button>
      </p>
    );
  }
  return (
    <p className="alerts-row">
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={saving}
        onClick={() => void props.alerts.setDesktop(true)}
      >
        Turn on desktop notifications
      </button>
    </p>
  );
}

export function AlertsMenu(props: { alerts: AlertSettingsState }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const { settings, saving } = props.alerts;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="alerts-menu" ref={root}>
      <button
        type="button"
        className="btn btn-ghost btn-icon"
        aria-label="Alerts"
        aria-expanded={open}
        title="New-message alerts"
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
      </button>
      {open ? (
        <div className="alerts-pop" role="dialog" aria-label="New-message alerts" data-testid="alerts-menu">
          <h2 className="alerts-title">New-message alerts</h2>
          <p className="muted">The tab title and the Inbox item always show how many customer messages are unread.</p>
          <label className="alerts-row">
            <input
              type="checkbox"
              checked={settings.sound}
              disabled={saving}
              onChange={(e) => props.alerts.setSound(e.target.checked)}
            />
            Play a sound when a customer writes
          </label>
          <DesktopChoice alerts={props.alerts} />
          <p className="muted alerts-note">Notifications show the customer’s handle only, never their message.</p>
        </div>
      ) : null}
    </div>
  );
}
