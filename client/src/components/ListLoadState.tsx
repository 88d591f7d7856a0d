// The loading and failed states of an admin list (spinner line; error with "Try again"). Must never render the
// error message as HTML.
export function ListLoading(props: { what: string }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {props.what}…
    </p>
  );
}

export function ListLoadError(props: { what: string; message: string; onRetry(): void }) {
  return (
    <div className="inline-error" role="alert">
      <p>
        Could not load {props.what}: {props.message}
      </p>
      <button type="button" className="btn" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}
