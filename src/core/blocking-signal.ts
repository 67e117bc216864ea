// "The event loop is about to block." On SQLite an aggregate over the facts runs
// synchronously; no timer fires and no socket is written while it runs. Whoever is
// waiting on a deadline (a Slack command owes its acknowledgement within 3 s) listens,
// and the one about to block tells them first and lets them act before it starts.
export type BlockingSignal = {
  /** Calls `listener` before the next blocking work; returns the call that stops listening. */
  listen(listener: () => void): () => void;
  /** Whether anyone is waiting to hear. */
  heard(): boolean;
  /** Tells every listener now. */
  warn(): void;
};

export function createBlockingSignal(): BlockingSignal {
  const listeners = new Set<() => void>();
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    heard: () => listeners.size > 0,
    warn() {
      for (const listener of [...listeners]) listener();
    },
  };
}
