// The logged-in layout: top bar plus the routed page, and the new-message alerts of every page (unread count in
// the tab title and on the Inbox item, sound, desktop notification). Resolves '/' to the role's first section and
// shows a "no access" page for sections the role may not use. Must never render a page the role is not allowed
// to see, and never alert for the conversation the user is looking at.
import { lazy, Suspense, useEffect } from 'react';
import { roleCan, type Conversation, type SessionUser } from '../../../shared/src/index.js';
import { beep } from '../alerts/beep.js';
import { showDesktopNotification } from '../alerts/desktop.js';
import { useAlertSettings } from '../hooks/useAlertSettings.js';
import { useUnreadAlerts } from '../hooks/useUnreadAlerts.js';
import { navigate, useHashRoute } from '../hooks/useHashRoute.js';
import { sectionOf, sectionsFor } from '../nav.js';
import { EmptyState } from './EmptyState.js';
import { TopBar } from './TopBar.js';

// One chunk per section (no chunk over 500 kB): a page's code loads when it is first opened.
const InboxPage = lazy(() => import('../pages/InboxPage.js').then((m) => ({ default: m.InboxPage })));
const DashboardPage = lazy(() => import('../pages/DashboardPage.js').then((m) => ({ default: m.DashboardPage })));
const SupervisionPage = lazy(() => import('../pages/SupervisionPage.js').then((m) => ({ default: m.SupervisionPage })));
const AdminPage = lazy(() => import('../pages/AdminPage.js').then((m) => ({ default: m.AdminPage })));

const pageLoading = (
  <div className="boot" role="status">
    <span className="spinner" aria-hidden="true" /> Loading…
  </div>
);

function redirectFor(path: string, home: string): string | null {
  if (path === '/' || path === '') return home;
  if (path === '/admin') return '/admin/users';
  return null;
}

function Page(props: { path: string; user: SessionUser }) {
  const { path, user } = props;
  const section = sectionOf(path);
  if (!section) {
    return (
      <EmptyState title="Page not found" icon="?">
        <p>There is nothing at this address. Use the navigation above.</p>
      </EmptyState>
    );
  }
  if (!section.allowed(user.role)) {
    return (
      <EmptyState title="No access" icon="⊘">
        <p>Your role does not include {section.label}. Ask an administrator if you need it.</p>
      </EmptyState>
    );
  }
  switch (section.path) {
    case '/inbox':
      return <InboxPage user={user} path={path} />;
    case '/dashboard':
      return <DashboardPage />;
    case '/supervision':
      return <SupervisionPage user={user} />;
    case '/admin':
      return <AdminPage path={path} user={user} />;
    default:
      return null;
  }
}

export function Shell(props: { user: SessionUser; loggingOut: boolean; onLogout(): void }) {
  const path = useHashRoute();
  const home = sectionsFor(props.user.role)[0]?.path ?? '/none';
  const redirect = redirectFor(path, home);
  const readsInbox = roleCan(props.user.role, 'conversations:read');
  const alerts = useAlertSettings(readsInbox);
  const unread = useUnreadAlerts(readsInbox, (c: Conversation) => {
    if (path === `/inbox/${c.id}` && document.visibilityState === 'visible') return;
    if (alerts.settings.sound) beep();
    if (alerts.settings.desktop) {
      showDesktopNotification({
        conversationId: c.id,
        handle: c.contact.handle,
        onOpen: () => navigate(`/inbox/${c.id}`),
      });
    }
  });

  useEffect(() => {
    if (redirect) navigate(redirect, true);
  }, [redirect]);

  useEffect(() => {
    const section = sectionOf(path);
    const count = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ` : '';
    document.title = `${count}${section ? `${section.label} · Parley` : 'Parley'}`;
    return () => {
      document.title = 'Parley';
    };
  }, [path, unread]);

  return (
    <div className="shell">
      <TopBar
        user={props.user}
        path={path}
        unread={unread}
        alerts={readsInbox ? alerts : null}
        loggingOut={props.loggingOut}
        onLogout={props.onLogout}
      />
      <main className={sectionOf(path)?.path === '/inbox' ? 'main main-full' : 'main'} id="main">
        {redirect ? null : (
          <Suspense fallback={pageLoading}>
            <Page path={path} user={props.user} />
          </Suspense>
        )}
      </main>
    </div>
  );
}
