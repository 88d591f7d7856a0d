// Loads what one admin screen or panel shows (a list, a page of results) and keeps it: nothing yet → data, or an
// error message. `reload` asks again and keeps what is shown until the answer, `retry` goes back to loading first,
// `set` applies a local edit after a successful save, `extend` merges a further request (the next page). An answer
// for a request the screen no longer wants (it left, or asked again) is dropped. Must never retry on its own.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  /** null until the first answer (and after `retry`). */
  data: T | null;
  /** The last failed request's message; null once a request succeeds. The data it failed to replace is kept. */
  error: string | null;
  reload(): void;
  retry(): void;
  set(update: (data: T) => T): void;
  extend<P>(request: Promise<P>, merge: (data: T, page: P) => T): void;
}

interface State<T> {
  data: T | null;
  error: string | null;
}

/** `key`: when it changes (a filter, a selected state), the fetch runs again, keeping what is shown meanwhile. */
export function useResource<T>(fetch: () => Promise<T>, key: unknown = null): Resource<T> {
  const [state, setState] = useState<State<T>>({ data: null, error: null });
  const [attempt, setAttempt] = useState(0);
  const fetchRef = useRef(fetch);
  /** Bumped by every load: a further page asked for before it belongs to data no longer shown. */
  const generation = useRef(0);
  useEffect(() => {
    fetchRef.current = fetch;
  });

  useEffect(() => {
    let cancelled = false;
    generation.current += 1;
    fetchRef.current().then(
      (data) => !cancelled && setState({ data, error: null }),
      (e: Error) => !cancelled && setState((s) => ({ ...s, error: e.message })),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, key]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const retry = useCallback(() => {
    setState({ data: null, error: null });
    setAttempt((a) => a + 1);
  }, []);
  const set = useCallback(
    (update: (data: T) => T) => setState((s) => (s.data === null ? s : { ...s, data: update(s.data) })),
    [],
  );
  const extend = useCallback(<P>(request: Promise<P>, merge: (data: T, page: P) => T) => {
    const asked = generation.current;
    request.then(
      (page) =>
        asked === generation.current &&
        setState((s) => ({ data: s.data === null ? s.data : merge(s.data, page), error: null })),
      (e: Error) => asked === generation.current && setState((s) => ({ ...s, error: e.message })),
    );
  }, []);

  return { data: state.data, error: state.error, reload, retry, set, extend };
}
