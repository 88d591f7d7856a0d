// Edits one user's channel membership (PATCH /api/users/:id {channelIds}) in a modal. Must never change anything
// but channelIds, and must never close with unsaved changes silently lost while a save is running.
import { useState } from 'react';
import { Modal } from './Modal.js';
import type { Channel, User } from '../../../shared/src/index.js';
import { ChannelChecklist } from './ChannelChecklist.js';

interface Props {
  user: User;
  channels: readonly Channel[];
  busy: boolean;
  onSave(channelIds: string[]): void;
  onCancel(): void;
}

export function MembershipDialog(props: Props) {
  // Keep ids of channels that no longer exist out of the edit (they cannot be shown or chosen).
  const known = new Set(props.channels.map((c) => c.id));
  const [selected, setSelected] = useState(() => props.user.channelIds.filter((id) => known.has(id)));

  return (
    <Modal labelledBy="membership-title" busy={props.busy} onCancel={props.onCancel}>
      <h2 id="membership-title">Channels of {props.user.name}</h2>
      <p>
        {props.user.role === 'agent'
          ? 'Agents see and answer only the conversations of these channels.'
          : 'This role already sees every channel; membership matters if the role changes to agent.'}
      </p>
      <ChannelChecklist
        idPrefix="membership"
        channels={props.channels}
        selected={selected}
        disabled={props.busy}
        onChange={setSelected}
      />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => props.onSave(selected)} disabled={props.busy}>
          {props.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </Modal>
  );
}
