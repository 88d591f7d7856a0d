// Admin → Users: loads the user list and hosts the table and the create form. Must never keep passwords in state
// after a user is created, and must never render user fields as HTML.
import type { SessionUser, User } from '../../../shared/src/index.js';
import { api } from '../api/client.js';
import { AdminListPage } from '../components/admin/AdminListPage.js';
import { CreateUserForm } from '../components/CreateUserForm.js';
import { UsersTable } from '../components/UsersTable.js';
import { useChannels } from '../hooks/useChannels.js';
import { useItemList } from '../hooks/useItemList.js';

function counts(users: User[]): string {
  const active = users.filter((u) => u.active).length;
  return `${users.length} ${users.length === 1 ? 'user' : 'users'} · ${active} active`;
}

export function UsersPage(props: { currentUser: SessionUser }) {
  const users = useItemList<User>(() => api.listUsers());
  const channels = useChannels();
  const channelList = channels.status === 'ready' ? channels.channels : null;

  return (
    <AdminListPage
      list={{
        title: 'Users',
        titleId: 'users-title',
        meta: users.items ? <span className="muted">{counts(users.items)}</span> : null,
      }}
      load={{
        data: users.data,
        error: users.error,
        onRetry: users.retry,
        what: 'users',
        children: (list) => (
          <UsersTable users={list} currentUser={props.currentUser} channels={channelList} onChanged={users.upsert} />
        ),
      }}
      side={{
        title: 'Add a user',
        titleId: 'create-user-title',
        children: <CreateUserForm channels={channelList} onCreated={users.upsert} />,
      }}
    />
  );
}
