// Admin section: a sub-navigation over the admin screens (users, channels, canned replies). Must never list a
// screen that does not exist yet as if it worked.
import type { SessionUser } from '../../../shared/src/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { hrefFor } from '../hooks/useHashRoute.js';
import { CannedRepliesPage } from './CannedRepliesPage.js';
import { ChannelsPage } from './ChannelsPage.js';
import { TemplatesPage } from './TemplatesPage.js';
import { UsersPage } from './UsersPage.js';
import { IntegrationsPage } from './IntegrationsPage.js';

const TABS = [
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/channels', label: 'Channels' },
  { path: '/admin/canned-replies', label: 'Canned replies' },
  { path: '/admin/templates', label: 'Templates' },
  { path: '/admin/integrations', label: 'Integrations' },
] as const;

function Screen(props: { path: string; user: SessionUser }) {
  switch (props.path) {
    case '/admin/users':
      return <UsersPage currentUser={props.user} />;
    case '/admin/channels':
      return <ChannelsPage />;
    case '/admin/canned-replies':
      return <CannedRepliesPage />;
    case '/admin/templates':
      return <TemplatesPage />;
    case '/admin/integrations':
      return <IntegrationsPage />;
    default:
      return (
        <EmptyState title="Page not found" icon="?">
          <p>This admin screen does not exist.</p>
        </EmptyState>
      );
  }
}

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
      <Screen path={props.path} user={props.user} />
    </>
  );
}
