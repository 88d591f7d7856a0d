// The "?" help sheet: the inbox's keyboard shortcuts in a native modal <dialog> (focus kept inside, Escape
// closes). Must never do anything but show the list and close.
import { Modal } from '../Modal.js';
import { SHORTCUTS } from '../../hooks/useInboxShortcuts.js';

export function ShortcutsHelp(props: { onClose(): void }) {
  return (
    <Modal labelledBy="shortcuts-title" testId="shortcuts-help" onCancel={props.onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl className="shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.does} className="shortcut">
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? ' + ' : null}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="btn btn-primary" onClick={props.onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
