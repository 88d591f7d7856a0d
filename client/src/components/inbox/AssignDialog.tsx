// The "Assign / transfer" dialog: pick a teammate who may see this conversation and confirm. Must never offer
// someone the server did not list (GET /api/users for user managers, else GET …/assignees) and must never act on
// its own: it only reports the chosen user id.
import { useState } from 'react';
import { Modal } from '../Modal.js';
import type { Assignee, Role } from '../../../../shared/src/index.js';
import { ROLE_LABELS } from '../../nav.js';

interface Props {
  candidates: Assignee[] | null;
  error: string | null;
  currentAssignee: string | null;
  myId: string;
  busy: boolean;
  onAssign(userId: string): void;
  onCancel(): void;
}

function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

export function AssignDialog(props: Props) {
  const [filter, setFilter] = useState('');
  const [choice, setChoice] = useState<string | null>(null);

  const q = filter.trim().toLowerCase();
  const shown = (props.candidates ?? [])
    .filter((u) => u.id !== props.currentAssignee)
    .filter((u) => !q || u.name.toLowerCase().includes(q))
    .sort((a, b) => Number(b.id === props.myId) - Number(a.id === props.myId) || a.name.localeCompare(b.name));

  return (
    <Modal labelledBy="assign-title" busy={props.busy} onCancel={props.onCancel}>
      <h2 id="assign-title">Assign conversation</h2>
      <p>Choose who should handle it. Only teammates who can see this channel are listed.</p>
      {props.error ? (
        <p className="field-error" role="alert">
          Could not load teammates: {props.error}
        </p>
      ) : props.candidates === null ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading teammates…
        </p>
      ) : (
        <>
          <input
            type="search"
            className="assign-search"
            placeholder="Filter by name"
            aria-label="Filter teammates"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <ul className="assign-list" role="radiogroup" aria-label="Teammates">
            {shown.length === 0 ? <li className="muted">Nobody else can take this conversation.</li> : null}
            {shown.map((u) => (
              <li key={u.id}>
                <label className={`assign-option${choice === u.id ? ' assign-option-on' : ''}`}>
                  <input
                    type="radio"
                    name="assignee"
                    value={u.id}
                    checked={choice === u.id}
                    onChange={() => setChoice(u.id)}
                  />
                  <span className="assign-name">
                    {u.name}
                    {u.id === props.myId ? ' (you)' : ''}
                  </span>
                  <span className="muted">{roleLabel(u.role)}</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!choice || props.busy}
          onClick={() => choice && props.onAssign(choice)}
        >
          {props.busy ? 'Assigning…' : 'Assign'}
        </button>
      </div>
    </Modal>
  );
}
