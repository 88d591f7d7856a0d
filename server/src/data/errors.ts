// How the database says "someone stored that key first": the one place that knows the duplicate-key code.
// Must never map errors to HTTP or domain errors (callers decide what a collision means).

/** Whether an error is a unique-index collision (E11000). */
export const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;
