// The admin users table: name, email, role (changeable), channel membership (editable), status
// (deactivate/reactivate with confirmation), last login. Must never let an admin demote or deactivate their own account from here, and must never render user
// fields as HTML.
import { useState } from 'react';
import { ROLES, roleCan, type Channel, type Role, type SessionUser, type User } from '../../../shared/src/index.js';
import { api } from '../api/client.js';
import { formatDateTime, formatRelative } from '../format.js';
import { ROLE_LABELS } from '../nav.js';
import { showToast } from '../toast-store.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { MembershipDialog } from './MembershipDialog.js';
import { AdminTable } from './admin/AdminTable.js';

interface Props {
  users: User[];
  currentUser: SessionUser;
  /** null while the channel list is unavailable: membership is shown but not editable. */
  channels: readonly Channel[] | null;
  onChanged(user: User): void;
}

function ChannelCell(props: { user: User; channels: readonly Channel[] | null; onEdit(): void; busy: boolean }) {
  const { user, channels } = props;
  const names = channels
    ? user.channelIds.map((id) => channels.find((c) => c.id === id)?.name).filter((n): n is string => Boolean(n))
    : [];
  const seesAll = roleCan(user.role, 'conversations:read_all');
  return (
    <div className="member-cell">
      {seesAll ? (
        <span className="muted">All channels</span>
      ) : !roleCan(user.role, 'conversations:read') ? (
        <span className="muted">—</span>
      ) : names.length ? (
        names.map((n) => (
          <span className="chip" key={n}>
            {n}
          </span>
        ))
      ) : (
        <span className="muted">{channels ? 'None' : `${user.channelIds.length} channel(s)`}</span>
      )}
      {channels && user.active && !seesAll ? (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={props.onEdit}
          disabled={props.busy}
          aria-label={`Edit channels of ${user.name}`}
        >
          Edit
        </button>
      ) : null}
    </div>
  );
}

export function UsersTable(props: Props) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ user: User; active: boolean } | null>(null);
  const [membership, setMembership] = useState<User | null>(null);

  const sorted = [...props.users].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  );

  async function changeRole(user: User, role: Role): Promise<void> {
    if (role === user.role) return;
    setBusyId(user.id);
    try {
      const updated = await api.updateUser(user.id, { role });
      props.onChanged(updated);
      showToast('success', `${updated.name} is now ${ROLE_LABELS[updated.role]}`);
    } catch {
      // The API client showed the server's message; the select stays on the saved role.
    } finally {
      setBusyId(null);
    }
  }

  async function applyActive(): Promise<void> {
    if (!confirm) return;
    const { user, active } = confirm;
    setBusyId(user.id);
    try {
      const updated = await api.updateUser(user.id, { active });
      props.onChanged(updated);
      showToast('success', `${updated.name} was ${updated.active ? 'reactivated' : 'deactivated'}`);
      setConfirm(null);
    } catch {
      setConfirm(null);
    } finally {
      setBusyId(null);
    }
  }

  async function saveMembership(channelIds: string[]): Promise<void> {
    if (!membership) return;
    setBusyId(membership.id);
    try {
      const updated = await api.updateUser(membership.id, { channelIds });
      props.onChanged(updated);
      showToast('success', `Updated the channels of ${updated.name}`);
      setMembership(null);
    } catch {
      // The API client showed the server's message; the dialog stays open.
    } finally {
      setBusyId(null);
    }
  }

  if (sorted.length === 0) return <p className="muted">No users yet.</p>;

  return (
    <>
      <AdminTable testId="users-table" columns={['Name', 'Email', 'Role', 'Channels', 'Status', 'Last login']}>
        {sorted.map((u) => {
          const self = u.id === props.currentUser.id;
          const busy = busyId === u.id;
          return (
            <tr key={u.id} className={u.active ? undefined : 'row-inactive'} data-user-email={u.email}>
              <td className="cell-name">
                <span className="cell-strong">{u.name}</span>
                {self ? <span className="tag">you</span> : null}
              </td>
              <td className="cell-mono">{u.email}</td>
              <td>
                <select
                  aria-label={`Change role of ${u.name}`}
                  value={u.role}
                  disabled={self || busy || !u.active}
                  title={self ? 'You cannot change your own role' : undefined}
                  onChange={(e) => void changeRole(u, e.target.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <ChannelCell user={u} channels={props.channels} busy={busy} onEdit={() => setMembership(u)} />
              </td>
              <td>
                <span className={u.active ? 'status status-on' : 'status status-off'}>
                  {u.active ? 'Active' : 'Deactivated'}
                </span>
              </td>
              <td title={formatDateTime(u.lastLoginAt, 'Never signed in')}>{formatRelative(u.lastLoginAt, 'Never')}</td>
              <td className="cell-actions">
                {self ? null : (
                  <button
                    type="button"
                    className={u.active ? 'btn btn-small btn-danger-ghost' : 'btn btn-small'}
                    disabled={busy}
                    onClick={() => setConfirm({ user: u, active: !u.active })}
                  >
                    {u.active ? 'Deactivate' : 'Reactivate'}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </AdminTable>
      {membership && props.channels ? (
        <MembershipDialog
          user={membership}
          channels={props.channels}
          busy={busyId === membership.id}
          onSave={(ids) => void saveMembership(ids)}
          onCancel={() => setMembership(null)}
        />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={confirm.active ? `Reactivate ${confirm.user.name}?` : `Deactivate ${confirm.user.name}?`}
          message={
            confirm.active
              ? `${confirm.user.email} will be able to sign in again with their existing password.`
              : `${confirm.user.email} will be signed out everywhere at once and will not be able to sign in until reactivated.`
          }
          confirmLabel={confirm.active ? 'Reactivate' : 'Deactivate'}
          danger={!confirm.active}
          busy={busyId === confirm.user.id}
          onConfirm={() => void applyActive()}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
    </>
  );
}
