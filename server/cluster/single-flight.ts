/**
 * Runs `round` one at a time. A wake while a round runs asks for exactly one more round after
 * it (whatever woke it meanwhile is then seen), so bursts of wake-ups never stack up rounds.
 * Used by the background workers that claim rows from a table (webhook delivery, rescoring).
 */
export type SingleFlight = {
  wake(): void;
  /** The round under way, if any. */
  readonly running: Promise<void> | undefined;
};

export function singleFlight(round: () => Promise<void>, onError: (err: unknown) => void, isClosed: () => boolean): SingleFlight {
  let running: Promise<void> | undefined;
  let again = false;
  const wake = (): void => {
    if (isClosed()) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  };
  return {
    wake,
    get running() {
      return running;
    },
  };
}
