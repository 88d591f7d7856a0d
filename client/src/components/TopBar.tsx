// The shell's top bar: product name, role-aware navigation (the Inbox item carries the unread count), alerts
// menu, live indicator, signed-in user and logout. On narrow screens the navigation and logout fold into a
// "Menu" button (closed again by a route change, Escape or a click outside). Must never show a section the role
// may not use (see nav.ts) and must render the user's name as text only.
import { useEffect, useRef, useState } from 'react';
import type { SessionUser } from '../../../shared/src/index.js';
import type { AlertSettingsState } from '../hooks/useAlertSettings.js';
import { AlertsMenu } from './AlertsMenu.js';
import { hrefFor } from '../hooks/useHashRoute.js';
import { ROLE_LABELS, sectionOf, sectionsFor } from '../nav.js';
import { LiveIndicator } from './LiveIndicator.js';
import { Logo } from './Logo.js';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0][0], parts[parts.length - 1][0]] : [parts[0]?.[0] ?? '?'];
  return letters.join('').toUpperCase();
}

interface Props {
  user: SessionUser;
  path: string;
  /** Unread customer messages (shown on the Inbox item). */
  unread: number;
  /** The alert settings, or null when the role has no inbox. */
  alerts: AlertSettingsState | null;
  loggingOut: boolean;
  onLogout(): void;
}

export function TopBar(props: Props) {
  const { user, path } = props;
  const current = sectionOf(path);
  // The menu is open for the route it was opened on: a route change closes it.
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const menuOpen = menuFor === path;
  const setMenuOpen = (open: boolean) => setMenuFor(open ? path : null);
  const headerRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const onDown = (e: MouseEvent) => {
      if (headerRef.current && !headerRef.current.contains(e.target as Node)) setMenuFor(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuFor(null);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [menuOpen]);

  return (
    <header className={`topbar${menuOpen ? ' topbar-menu-open' : ''}`} ref={headerRef}>
      <button
        type="button"
        className="btn btn-ghost btn-icon menu-button"
        aria-label="Menu"
        aria-expanded={menuOpen}
        aria-controls="mainnav"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor" />
        </svg>
        {props.unread > 0 ? <span className="menu-dot" aria-hidden="true" /> : null}
      </button>
      <a className="brand" href={hrefFor('/')}>
        <Logo />
        <span>Parley</span>
      </a>
      <nav className="mainnav" id="mainnav" aria-label="Main">
        <ul>
          {sectionsFor(user.role).map((s) => (
            <li key={s.path}>
              <a
                href={hrefFor(s.path)}
                aria-current={current?.path === s.path ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {s.label}
                {s.path === '/inbox' && props.unread > 0 ? (
                  <span className="nav-badge" data-testid="nav-unread" aria-label={`${props.unread} unread`}>
                    {props.unread > 99 ? '99+' : props.unread}
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
        <div className="mainnav-footer">
          <span className="mainnav-user">
            {user.name} · {ROLE_LABELS[user.role]}
          </span>
          <button type="button" className="btn btn-small" onClick={props.onLogout} disabled={props.loggingOut}>
            {props.loggingOut ? 'Signing out…' : 'Log out'}
          </button>
        </div>
      </nav>
      <div className="topbar-right">
        {props.alerts ? <AlertsMenu alerts={props.alerts} /> : null}
        <LiveIndicator />
        <div className="me" data-testid="current-user">
          <span className="avatar" aria-hidden="true">
            {initials(user.name)}
          </span>
          <span className="me-text">
            <span className="me-name">{user.name}</span>
            <span className="me-role">{ROLE_LABELS[user.role]}</span>
          </span>
        </div>
        <button
          type="button"
          className="btn btn-ghost topbar-logout"
          onClick={props.onLogout}
          disabled={props.loggingOut}
        >
          {props.loggingOut ? 'Signing out…' : 'Log out'}
        </button>
      </div>
    </header>
  );
}
