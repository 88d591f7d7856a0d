// The canned-replies popover of the composer: filtered by the "/shortcut" being typed or by its own search box,
// keyboard-driven by the composer (↑ ↓ Enter Tab Esc). Must never send anything: it only hands text back.
import type { CannedReply } from '../../../../shared/src/index.js';

export function filterCanned(items: readonly CannedReply[], query: string): CannedReply[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...items];
  const starts = items.filter((c) => c.shortcut.startsWith(q));
  const contains = items.filter(
    (c) => !c.shortcut.startsWith(q) && (c.shortcut.includes(q) || c.title.toLowerCase().includes(q)),
  );
  return [...starts, ...contains];
}

interface Props {
  items: CannedReply[];
  active: number;
  /** Shown when no canned reply exists at all (not merely none matching). */
  emptyText: string;
  onPick(reply: CannedReply): void;
  onHover(index: number): void;
}

export function CannedPicker(props: Props) {
  return (
    <div className="canned" role="listbox" aria-label="Canned replies" data-testid="canned-picker">
      {props.items.length === 0 ? (
        <p className="canned-empty muted">{props.emptyText}</p>
      ) : (
        props.items.slice(0, 8).map((c, i) => (
          <button
            key={c.id}
            type="button"
            role="option"
            aria-selected={i === props.active}
            className={`canned-item${i === props.active ? ' canned-item-active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => props.onHover(i)}
            onClick={() => props.onPick(c)}
          >
            <span className="canned-head">
              <span className="canned-shortcut">/{c.shortcut}</span>
              <span className="canned-title">{c.title}</span>
            </span>
            <span className="canned-text">{c.text}</span>
          </button>
        ))
      )}
    </div>
  );
}
