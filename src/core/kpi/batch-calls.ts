// Calls made in the same turn (before the next microtask) answered by one call for all
// of them: the engine asks for a snapshot's or a series' windows one by one, the store
// reads them in one pass.
type Pending<K, T> = { key: K; resolve(value: T): void; reject(error: unknown): void };

export function batchedCalls<K, T>(answerAll: (keys: K[]) => Promise<T[]>): (key: K) => Promise<T> {
  let queue: Pending<K, T>[] | null = null;
  return (key) =>
    new Promise<T>((resolve, reject) => {
      if (queue === null) {
        const pending: Pending<K, T>[] = [];
        queue = pending;
        queueMicrotask(() => {
          queue = null;
          Promise.resolve()
            .then(() => answerAll(pending.map((call) => call.key)))
            .then(
              (values) => {
                pending.forEach((call, i) => {
                  call.resolve(values[i] as T);
                });
              },
              (error: unknown) => {
                for (const call of pending) call.reject(error);
              },
            );
        });
      }
      queue.push({ key, resolve, reject });
    });
}
