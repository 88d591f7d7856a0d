// The shell's top bar: product name, role-aware navigation (the Inbox item carries the unread count), alerts
// menu, live indicator, signed-in user and logout. Must never show a section the role may not use (see nav.ts)
// and must render the user's name as text only.
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
  return (
    <header className="topbar">
      <a className="brand" href={hrefFor('/')}>
        <Logo />
        <span>Parley</span>
      </a>
      <nav className="mainnav" aria-label="Main">
        <ul>
          {sectionsFor(user.role).map((s) => (
            <li key={s.path}>
              <a href={hrefFor(s.path)} aria-current={current?.path === s.path ? 'page' : undefined}>
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
        <button type="button" className="btn btn-ghost" onClick={props.onLogout} disabled={props.loggingOut}>
          {props.loggingOut ? 'Signing out…' : 'Log out'}
        </button>
      </div>
    </header>
  );
}
