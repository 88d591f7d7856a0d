// The "Snooze until…" dialog: presets (1 h, tonight, tomorrow 9:00, next week) or a custom date and time. It only
// reports the chosen time; the server checks it is ahead and within a year. Must never act on its own.
import { useMemo, useState } from 'react';
import { Modal } from '../Modal.js';
import { formatDateTime } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { snoozePresets, toLocalInput } from './snooze-presets.js';

const YEAR_MS = 365 * 24 * 3_600_000;

export function SnoozeDialog(props: { busy: boolean; onSnooze(until: Date): void; onCancel(): void }) {
  const nowMs = useNow(10_000);
  const now = useMemo(() => new Date(nowMs), [nowMs]);
  const presets = useMemo(() => snoozePresets(now), [now]);
  const [custom, setCustom] = useState('');
  const customAt = custom ? new Date(custom) : null;
  const customError =
    customAt && !Number.isNaN(customAt.getTime())
      ? customAt.getTime() <= nowMs
        ? 'Pick a time in the future.'
        : customAt.getTime() > nowMs + YEAR_MS
          ? 'Pick a time within a year.'
          : null
      : null;

  return (
    <Modal labelledBy="snooze-title" busy={props.busy} onCancel={props.onCancel}>
      <h2 id="snooze-title">Snooze conversation</h2>
      <p>It leaves the open list and comes back at that time, or as soon as the customer writes.</p>
      <div className="snooze-presets">
        {presets.map((p) => (
          <button
            key={p.key}
            type="button"
            className="btn"
            disabled={props.busy}
            title={formatDateTime(p.at.toISOString())}
            onClick={() => props.onSnooze(p.at)}
          >
            {p.label}
          </button>
        ))}
      </div>
      <label className="snooze-custom">
        <span>Custom</span>
        <input
          type="datetime-local"
          aria-label="Snooze until (custom)"
          min={toLocalInput(now)}
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
        />
      </label>
      {customError ? (
        <p className="field-error" role="alert">
          {customError}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!customAt || Number.isNaN(customAt.getTime()) || customError !== null || props.busy}
          onClick={() => customAt && props.onSnooze(customAt)}
        >
          {props.busy ? 'Snoozing…' : 'Snooze until then'}
        </button>
      </div>
    </Modal>
  );
}
