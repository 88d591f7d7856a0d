// A checkbox list of channels (inbox membership) used by the user form and the membership dialog. Must never
// decide who sees what: it only edits a list of channel ids that the server validates and enforces.
import type { Channel } from '../../../shared/src/index.js';

interface Props {
  idPrefix: string;
  channels: readonly Channel[];
  selected: readonly string[];
  disabled?: boolean;
  onChange(ids: string[]): void;
}

export function ChannelChecklist(props: Props) {
  if (props.channels.length === 0) {
    return <p className="field-hint">No channels yet. Add one in Admin → Channels.</p>;
  }
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.selected.filter((x) => x !== id), id] : props.selected.filter((x) => x !== id));
  return (
    <ul className="checklist">
      {props.channels.map((ch) => (
        <li key={ch.id}>
          <label className="check" htmlFor={`${props.idPrefix}-${ch.id}`}>
            <input
              id={`${props.idPrefix}-${ch.id}`}
              type="checkbox"
              checked={props.selected.includes(ch.id)}
              disabled={props.disabled}
              onChange={(e) => toggle(ch.id, e.target.checked)}
            />
            <span>{ch.name}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}
