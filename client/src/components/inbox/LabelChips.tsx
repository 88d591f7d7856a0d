// Small coloured chips for a conversation's labels (list rows, thread header). Label names are rendered as React
// text. Must never render a label the labels API did not answer.
import type { Label } from '../../../../shared/src/index.js';

export function LabelChips(props: { labels: readonly Label[] }) {
  if (props.labels.length === 0) return null;
  return (
    <span className="label-chips">
      {props.labels.map((l) => (
        <span key={l.id} className="chip chip-label" style={{ background: l.color }} data-testid="label-chip">
          {l.name}
        </span>
      ))}
    </span>
  );
}
