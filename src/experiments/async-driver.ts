/**
 * Drives a round generator (./kde-particle-recursion.ts `kdeRecursionRounds`) asynchronously: one
 * event-loop turn after every round, so SIGINT handlers and progress output run during long
 * experiments; stops (leaving the generator unfinished) once `shouldStop()` is true.
 * Returns the number of completed rounds.
 */
export async function driveRounds(rounds: Iterator<number, void, void>, shouldStop?: () => boolean): Promise<number> {
  let done = 0;
  for (;;) {
    const step = rounds.next();
    if (step.done) return done;
    done = step.value + 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (shouldStop?.()) return done;
  }
}

/** One event-loop turn (between jobs that have no rounds). */
export function yieldTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
