// The bar over the conversation list while conversations are ticked: close them, assign them to me, add a label.
// One bulk request; the server checks each conversation on its own and answers per id, and the bar reports how
// many were done and refused. Must never act on conversations the user did not tick.
import { useState } from 'react';
import type { BulkActionBody, Label } from '../../../../shared/src/index.js';
import { labelsApi } from '../../api/labels.js';
import { showToast } from '../../toast-store.js';

export function BulkBar(props: { ids: string[]; labels: readonly Label[]; myId: string; onDone(): void }) {
  const [busy, setBusy] = useState(false);

  async function run(action: BulkActionBody['action'], what: string) {
    setBusy(true);
    try {
      const { results } = await labelsApi.bulk({ ids: props.ids, action });
      const failed = results.filter((r) => !r.ok);
      const done = results.length - failed.length;
      if (failed.length === 0) showToast('success', `${what}: ${done} conversation${done === 1 ? '' : 's'}`);
      else showToast('error', `${what}: ${done} done, ${failed.length} refused (${failed[0].error?.message ?? ''})`);
      props.onDone();
    } catch {
      // The API client showed the server's message.
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected conversations" data-testid="bulk-bar">
      <span className="bulk-count">{props.ids.length} selected</span>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() => void run({ type: 'close' }, 'Closed')}
      >
        Close
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() => void run({ type: 'assign', userId: props.myId }, 'Assigned to you')}
      >
        Assign to me
      </button>
      <select
        aria-label="Add a label to the selected conversations"
        value=""
        disabled={busy || props.labels.length === 0}
        onChange={(e) => e.target.value && void run({ type: 'labels', add: [e.target.value] }, 'Labelled')}
      >
        <option value="">Add label…</option>
        {props.labels.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={props.onDone}>
        Clear
      </button>
    </div>
  );
}
