// The logged-in layout: top bar plus the routed page. Resolves '/' to the role's first section and shows a
// "no access" page for sections the role may not use. Must never render a page the role is not allowed to see.
import { useEffect } from 'react';
import type { SessionUser } from '../../../shared/src/index.js';
import { navigate, useHashRoute } from '../hooks/useHashRoute.js';
import { sectionOf, sectionsFor } from '../nav.js';
import { AdminPage } from '../pages/AdminPage.js';
import { DashboardPage } from '../pages/DashboardPage.js';
import { InboxPage } from '../pages/InboxPage.js';
import { SupervisionPage } from '../pages/SupervisionPage.js';
import { EmptyState } from './EmptyState.js';
import { TopBar } from './TopBar.js';

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

  useEffect(() => {
    if (redirect) navigate(redirect, true);
  }, [redirect]);

  useEffect(() => {
    const section = sectionOf(path);
    document.title = section ? `${section.label} · Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [path]);

  return (
    <div className="shell">
      <TopBar user={props.user} path={path} loggingOut={props.loggingOut} onLogout={props.onLogout} />
      <main className={sectionOf(path)?.path === '/inbox' ? 'main main-full' : 'main'} id="main">
        {redirect ? null : <Page path={path} user={props.user} />}
      </main>
    </div>
  );
}
