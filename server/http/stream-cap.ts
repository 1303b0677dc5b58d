// At most so many open event streams (GET /v1/stream) per token. Each stream holds a socket,
// a bus subscription and a timer; one leaked or hostile rep key opened 2,000 of them (issue 18).
// A rep has the extension open in a few windows at most.

export const DEFAULT_STREAMS_PER_TOKEN = 20;

export type StreamCap = {
  /** A release function when `keyId` may open one more stream, undefined when it is at the cap. */
  acquire(keyId: string): (() => void) | undefined;
  /** Open streams of `keyId`. */
  open(keyId: string): number;
  readonly max: number;
};

export function createStreamCap(max = streamsPerTokenFromEnv()): StreamCap {
  const counts = new Map<string, number>();
  return {
    max,
    open: (keyId) => counts.get(keyId) ?? 0,
    acquire(keyId) {
      const n = counts.get(keyId) ?? 0;
      if (n >= max) return undefined;
      counts.set(keyId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(keyId) ?? 1) - 1;
        if (left > 0) counts.set(keyId, left);
        else counts.delete(keyId);
      };
    },
  };
}

/** LEADGLOW_STREAMS_PER_TOKEN, a whole number from 1; default 20. */
export function streamsPerTokenFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.LEADGLOW_STREAMS_PER_TOKEN);
  return Number.isInteger(v) && v >= 1 ? v : DEFAULT_STREAMS_PER_TOKEN;
}
