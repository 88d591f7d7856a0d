// Coalesces concurrent calls into one batched call: every call made before the next turn of the event loop
// (setImmediate) joins the same batch, up to `max` items (and, with `weight`, `maxWeight` — e.g. bytes, so a batch
// stays under the database's 16 MiB command limit) per batch. The batch function answers with one result per
// item, in order; if it throws, every caller of that batch gets the error. Used on the hot intake path to turn many
// small database round trips into one (insertMany, updateMany, $in lookups). Must never reorder results or drop a
// caller, and never hold a batch longer than one event-loop turn.
export type BatchFn<I, O> = (items: I[]) => Promise<O[]>;

interface Waiter<I, O> {
  item: I;
  resolve(o: O): void;
  reject(err: unknown): void;
}

export interface CoalesceOptions<I> {
  /** Most items per batch (default 500). */
  max?: number;
  /** What an item weighs (e.g. its size in bytes); a batch never weighs more than `maxWeight` (an item heavier
   * than that goes alone). */
  weight?: (item: I) => number;
  maxWeight?: number;
}

export function coalesce<I, O>(run: BatchFn<I, O>, opts: CoalesceOptions<I> = {}): (item: I) => Promise<O> {
  const max = opts.max ?? 500;
  const weigh = opts.weight;
  const maxWeight = opts.maxWeight ?? Infinity;
  let pending: Array<Waiter<I, O>> = [];
  let scheduled = false;

  const runBatch = (batch: Array<Waiter<I, O>>) => {
    let call: Promise<O[]>;
    try {
      call = run(batch.map((w) => w.item));
    } catch (err) {
      call = Promise.reject(err);
    }
    call.then(
      (outs) => {
        if (outs.length !== batch.length) {
          const err = new Error(`batch answered ${outs.length} results for ${batch.length} items`);
          for (const w of batch) w.reject(err);
          return;
        }
        batch.forEach((w, i) => w.resolve(outs[i]));
      },
      (err) => {
        for (const w of batch) w.reject(err);
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const all = pending;
    pending = [];
    let batch: Array<Waiter<I, O>> = [];
    let weight = 0;
    for (const w of all) {
      const wi = weigh ? weigh(w.item) : 0;
      if (batch.length > 0 && (batch.length >= max || weight + wi > maxWeight)) {
        runBatch(batch);
        batch = [];
        weight = 0;
      }
      batch.push(w);
      weight += wi;
    }
    if (batch.length) runBatch(batch);
  };

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
