// Admin → Users: loads the user list and hosts the table and the create form. Must never keep passwords in state
// after a user is created, and must never render user fields as HTML.
import { useEffect, useState } from 'react';
import type { SessionUser, User } from '../../../shared/src/index.js';
import { api } from '../api/client.js';
import { CreateUserForm } from '../components/CreateUserForm.js';
import { UsersTable } from '../components/UsersTable.js';
import { useChannels } from '../hooks/useChannels.js';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; users: User[] };

function upsert(users: User[], user: User): User[] {
  const i = users.findIndex((u) => u.id === user.id);
  if (i === -1) return [...users, user];
  const next = users.slice();
  next[i] = user;
  return next;
}

export function UsersPage(props: { currentUser: SessionUser }) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const channels = useChannels();
  const channelList = channels.status === 'ready' ? channels.channels : null;

  useEffect(() => {
    let cancelled = false;
    api.listUsers().then(
      (users) => !cancelled && setLoad({ status: 'ready', users }),
      (err: Error) => !cancelled && setLoad({ status: 'error', message: err.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const onChanged = (user: User) => setLoad((l) => (l.status === 'ready' ? { ...l, users: upsert(l.users, user) } : l));

  let content;
  if (load.status === 'loading') {
    content = (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Loading users…
      </p>
    );
  } else if (load.status === 'error') {
    content = (
      <div className="inline-error" role="alert">
        <p>Could not load users: {load.message}</p>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setLoad({ status: 'loading' });
            setAttempt((a) => a + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  } else {
    content = (
      <UsersTable users={load.users} currentUser={props.currentUser} channels={channelList} onChanged={onChanged} />
    );
  }

  const counts =
    load.status === 'ready'
      ? `${load.users.length} ${load.users.length === 1 ? 'user' : 'users'} · ${load.users.filter((u) => u.active).length} active`
      : null;

  return (
    <div className="users-layout">
      <section className="card" aria-labelledby="users-title">
        <div className="card-header">
          <h2 id="users-title">Users</h2>
          {counts ? <span className="muted">{counts}</span> : null}
        </div>
        {content}
      </section>
      <section className="card" aria-labelledby="create-user-title">
        <div className="card-header">
          <h2 id="create-user-title">Add a user</h2>
        </div>
        <CreateUserForm channels={channelList} onCreated={onChanged} />
      </section>
    </div>
  );
}
