// The one loading / failed / empty / ready state of admin screens and panels: a spinner line while nothing has
// arrived, the error with "Try again" (instead of the data) when the page offers a retry, the page's own empty
// text, else the page's content. Also the inline note for a failed refresh above data still shown. Must never
// render an error message as HTML.
import type { ReactNode } from 'react';

/** `what`: "users", "channels"… (omitted: just "Loading…"). */
export function ListLoading(props: { what?: string }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** An empty `message` (the source gave none) ends the sentence after `what`. */
export function ListLoadError(props: { what: string; message: string; onRetry(): void }) {
  return (
    <div className="inline-error" role="alert">
      <p>
        Could not load {props.what}
        {props.message ? `: ${props.message}` : '.'}
      </p>
      <button type="button" className="btn" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}

/** A failed refresh while the last data stays on screen. */
export function LoadErrorNote(props: { what: string; message: string | null }) {
  return props.message === null ? null : (
    <p className="inline-error" role="alert">
      Could not load {props.what}: {props.message}
    </p>
  );
}

export interface LoadStateProps<T> {
  data: T | null;
  /** With `onRetry`, a failed load replaces the data with the error and "Try again". */
  error?: string | null;
  onRetry?(): void;
  what?: string;
  isEmpty?(data: T): boolean;
  empty?: ReactNode;
  children(data: T): ReactNode;
}

export function LoadState<T>(props: LoadStateProps<T>) {
  if (props.error != null && props.onRetry)
    return <ListLoadError what={props.what ?? 'this list'} message={props.error} onRetry={props.onRetry} />;
  if (props.data === null) return <ListLoading what={props.what} />;
  if (props.isEmpty?.(props.data)) return <>{props.empty}</>;
  return <>{props.children(props.data)}</>;
}
