// Admin section: a sub-navigation over the admin screens (only Users so far). Must never list a screen that does
// not exist yet as if it worked.
import type { SessionUser } from '../../../shared/src/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { hrefFor } from '../hooks/useHashRoute.js';
import { UsersPage } from './UsersPage.js';

const TABS = [{ path: '/admin/users', label: 'Users' }] as const;

export function AdminPage(props: { path: string; user: SessionUser }) {
  return (
    <>
      <header className="page-header">
        <h1>Admin</h1>
        <nav className="tabs" aria-label="Admin">
          {TABS.map((t) => (
            <a key={t.path} href={hrefFor(t.path)} aria-current={props.path === t.path ? 'page' : undefined}>
              {t.label}
            </a>
          ))}
        </nav>
      </header>
      {props.path === '/admin/users' ? (
        <UsersPage currentUser={props.user} />
      ) : (
        <EmptyState title="Page not found" icon="?">
          <p>This admin screen does not exist.</p>
        </EmptyState>
      )}
    </>
  );
}
