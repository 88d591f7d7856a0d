// A secret shown once (an integration's bearer token): the value in a read-only field that fits its box, a Copy
// button (clipboard API, or select + copy where that is unavailable) and the dismiss button. Must never store the
// value anywhere (no web storage, no logs): it lives only as long as the owner keeps it in state.
import { useRef, useState } from 'react';

async function copyText(value: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(value);
      return true;
    }
  } catch {
    // Fall back to selecting the field below.
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export function OneTimeToken(props: { name: string; value: string; onDismiss(): void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="one-time-token" role="status" data-testid="integration-token">
      <p>
        Token for <strong>{props.name}</strong> — copy it now, it is shown only once:
      </p>
      <div className="one-time-token-row">
        <input
          ref={field}
          className="cell-mono one-time-token-value"
          readOnly
          value={props.value}
          aria-label={`Token for ${props.name}`}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => void copyText(props.value, field.current).then(setCopied)}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === false ? (
        <p className="field-error" role="alert">
          Could not copy: select the token and copy it by hand.
        </p>
      ) : null}
      <button type="button" className="btn btn-small" onClick={props.onDismiss}>
        I copied it
      </button>
    </div>
  );
}
