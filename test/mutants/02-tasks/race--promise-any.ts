// mistake: Promise.any semantics without staggering
// expect: did you use Promise.any
export * from "../../../solutions/02-tasks/race.ts";

export async function firstSuccess<T>(
  attempts: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
  options: { staggerMs?: number } = {},
): Promise<T> {
  void options;
  const controllers = attempts.map(() => new AbortController());
  const running = attempts.map((attempt, i) => attempt(controllers[i]!.signal));
  const winner = await Promise.any(running.map(async (attempt, i) => ({ value: await attempt, i })));
  controllers.forEach((controller, i) => i !== winner.i && controller.abort());
  return winner.value;
}
