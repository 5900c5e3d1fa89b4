/**
 * Work over a whole log done in pieces: a generator that yields after each piece of bounded size
 * (`LINES_PER_STEP` lines, a few thousand templates or matches) and returns its result. A caller
 * that must keep answering requests runs a few pieces at a time with other work between them
 * (the server, `logs/inSteps.ts`); every other caller runs them all at once (`runSteps`), so there
 * is one way to a result, taken in steps or not.
 */
export type Steps<T> = Generator<void, T, void>;

/** Lines between two yields of a pass over every line: well under a millisecond of simple work. */
export const LINES_PER_STEP = 16384;
const STEP_MASK = LINES_PER_STEP - 1;

/** Whether a pass over lines yields after line `i` (every `LINES_PER_STEP` lines). */
export function endsStep(i: number): boolean {
  return (i & STEP_MASK) === STEP_MASK;
}

/** Runs `steps` to the end without stopping and gives their result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
