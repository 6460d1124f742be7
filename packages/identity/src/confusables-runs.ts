/**
 * The encoding of the ASCII look-alike table (`confusables-ascii.ts`): the TR39 prototypes (npm `unhomoglyph`, ADR
 * 0030) of the non-ASCII characters whose prototype is ASCII — the only entries `foldConfusables` uses — as runs.
 * A run `[gap, length, target]` maps `length` consecutive code points to consecutive one-character targets (𝐀…𝐙 →
 * A…Z); `[gap, target]` maps one code point. `gap` counts from the end of the previous run. 6,311 entries (27 KB
 * gzipped) become 1,139 runs (2.5 KB), which the register page ships.
 */
export type Run = readonly [gap: number, length: number, target: string] | readonly [gap: number, target: string];

const ASCII = /^[\p{ASCII}]*$/u;

/** Runs of the entries of a TR39 table (character → prototype) whose key is non-ASCII and prototype ASCII. */
export function encodeAsciiRuns(table: Readonly<Record<string, string>>): Run[] {
  const entries = Object.entries(table)
    .filter(([from, to]) => [...from].length === 1 && !ASCII.test(from) && ASCII.test(to))
    .map(([from, to]) => [from.codePointAt(0)!, to] as const)
    .sort((a, b) => a[0] - b[0]);
  const runs: { start: number; length: number; target: string }[] = [];
  for (const [codePoint, target] of entries) {
    const last = runs.at(-1);
    const extends_ =
      last !== undefined &&
      target.length === 1 &&
      last.target.length === 1 &&
      codePoint === last.start + last.length &&
      target.charCodeAt(0) === last.target.charCodeAt(0) + last.length;
    if (extends_) last.length++;
    else runs.push({ start: codePoint, length: 1, target });
  }
  let end = 0;
  return runs.map(({ start, length, target }) => {
    const gap = start - end;
    end = start + length;
    return length > 1 ? ([gap, length, target] as const) : ([gap, target] as const);
  });
}

/** The character → ASCII prototype map the runs describe. */
export function decodeAsciiRuns(runs: readonly Run[]): Map<string, string> {
  const map = new Map<string, string>();
  let next = 0;
  for (const run of runs) {
    const [gap, length, target] = run.length === 3 ? run : [run[0], 1, run[1]];
    const start = next + gap;
    for (let i = 0; i < length; i++) {
      map.set(String.fromCodePoint(start + i), length > 1 ? String.fromCharCode(target.charCodeAt(0) + i) : target);
    }
    next = start + length;
  }
  return map;
}
