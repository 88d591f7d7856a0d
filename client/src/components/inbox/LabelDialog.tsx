// The "Labels" dialog of a conversation: tick labels on or off (each change saved at once) and, for labels:manage,
// create a label (name + a colour from the fixed palette). Reports changes through callbacks; the server checks
// permissions again. Must never show labels the labels API did not answer.
import { useState } from 'react';
import { Modal } from '../Modal.js';
import { LABEL_COLORS, type Label } from '../../../../shared/src/index.js';

interface Props {
  labels: readonly Label[];
  selected: readonly string[];
  canManage: boolean;
  busy: boolean;
  onToggle(labelId: string, on: boolean): void;
  onCreate(name: string, color: string): Promise<void>;
  onClose(): void;
}

export function LabelDialog(props: Props) {
  const [name, setName] = useState('');
  const [color, setColor] = useState<string>(LABEL_COLORS[6]);

  return (
    <Modal labelledBy="labels-title" onCancel={props.onClose}>
      <h2 id="labels-title">Labels</h2>
      {props.labels.length === 0 ? <p className="muted">No labels yet.</p> : null}
      <ul className="label-options" aria-label="Labels">
        {props.labels.map((l) => (
          <li key={l.id}>
            <label className="label-option">
              <input
                type="checkbox"
                checked={props.selected.includes(l.id)}
                disabled={props.busy}
                onChange={(e) => props.onToggle(l.id, e.target.checked)}
              />
              <span className="chip chip-label" style={{ background: l.color }}>
                {l.name}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {props.canManage ? (
        <form
          className="label-new"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            void props.onCreate(name.trim(), color).then(() => setName(''));
          }}
        >
          <input
            aria-label="New label name"
            placeholder="New label"
            maxLength={40}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <span className="label-swatches" role="radiogroup" aria-label="Label colour">
            {LABEL_COLORS.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={color === c}
                aria-label={`Colour ${c}`}
                className={`label-swatch${color === c ? ' label-swatch-on' : ''}`}
                style={{ background: c }}
                onClick={() => setColor(c)}
              />
            ))}
          </span>
          <button type="submit" className="btn btn-small" disabled={!name.trim() || props.busy}>
            Create label
          </button>
        </form>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-primary" onClick={props.onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
