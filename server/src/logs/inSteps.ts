import { Steps } from '../analysis/steps';

/** What running work in steps needs from the server around it. */
export interface StepHost {
  /** Lets requests be answered. */
  yieldToRequests(): Promise<void>;
  /** How long work runs before requests get their turn (ms); 0 gives them one after every step. */
  sliceMs: number;
}

/**
 * Runs `steps` to the end, letting requests in whenever a slice of time is used up; stops when
 * `current` says the work is no longer wanted (a newer reading took over), and gives undefined.
 * Steps left unfinished are closed (their `finally` blocks run).
 */
export async function inSteps<T>(steps: Steps<T>, host: StepHost, current: () => boolean): Promise<T | undefined> {
  try {
    let sliceStart = performance.now();
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      if (performance.now() - sliceStart < host.sliceMs) continue;
      await host.yieldToRequests();
      if (!current()) return undefined;
      sliceStart = performance.now();
    }
  } finally {
    steps.return(undefined as T);
  }
}
