/**
 * Stacks a bench must never take: it starts its stack fresh (every file of the named stack deleted), and these hold a
 * developer's data (`npm start`'s default) or the test runner's.
 */
export const PROTECTED_STACK_NAMES: readonly string[] = ['local', 'test'];

/** The bench's stack name: `BENCH_STACK_NAME` or the bench's default; throws for a protected one. */
export function benchStackName(fromEnv: string | undefined, fallback: string): string {
  const name = fromEnv?.trim() || fallback;
  if (PROTECTED_STACK_NAMES.includes(name)) {
    throw new Error(
      `BENCH_STACK_NAME=${name}: a bench starts its stack fresh and would delete that stack's data; pick another name`,
    );
  }
  return name;
}
