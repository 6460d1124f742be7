import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SERVICE_MEMORY, SERVICE_NODE_FLAGS } from './memory';

/** What `script` prints, as a number, in a real Node process started with `flags` (none inherited via NODE_OPTIONS). */
function nodePrints(flags: readonly string[], script: string): number {
  const { NODE_OPTIONS: _inherited, ...env } = process.env;
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', env }));
}

/** V8's heap limit (MB) in a Node process started with `flags`. */
const heapLimitMb = (flags: readonly string[]) =>
  nodePrints(flags, "process.stdout.write(String(require('node:v8').getHeapStatistics().heap_size_limit / 1048576))");

/**
 * The largest young generation (MB) a real Node process reaches when started with `flags`, under an allocation pattern
 * whose objects survive a few collections: what makes V8 grow the semi-spaces to their ceiling.
 */
function youngGenerationMb(flags: readonly string[]): number {
  const script = `const v8 = require('node:v8'); let most = 0; const keep = [];
    for (let round = 0; round < 60; round++) {
      keep.push(Array.from({ length: 100000 }, (_, i) => ({ i, s: 'x' + i })));
      if (keep.length > 8) keep.shift();
      most = Math.max(most, v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space').space_size);
    }
    process.stdout.write(String(most / 1048576));`;
  return nodePrints(flags, script);
}

describe('service memory settings', () => {
  it('are flags this Node accepts, and they bound the young generation (V8’s own sizing grew it to 128 MB on a 24 GB machine)', () => {
    // V8 sizes the young generation at three semi-spaces, and for a moment during a scavenge holds a few pages more:
    // runs measured 16–25.5 MB with 8 MB semi-spaces, and once 32.5 MB (a clean-clone CI, 2026-12-07). The bound
    // allows two more semi-spaces; V8's default (128 MB here) stays far above it.
    const bound = 5 * SERVICE_MEMORY.maxSemiSpaceMb;
    const bounded = youngGenerationMb(SERVICE_NODE_FLAGS);
    const unbounded = youngGenerationMb([]);
    assert.ok(bounded > 0 && bounded <= bound, `young generation ${bounded} MB with the flags`);
    assert.ok(
      unbounded > bound,
      `without the flags ${unbounded} MB: the workload makes V8 grow the young generation past the bound`,
    );
  });

  it('cap the whole V8 heap at the old-space ceiling plus the young generation, as a pod’s memory limit would', () => {
    const capped = heapLimitMb(SERVICE_NODE_FLAGS);
    const { maxOldSpaceMb, maxSemiSpaceMb } = SERVICE_MEMORY;
    assert.ok(
      capped >= maxOldSpaceMb && capped <= maxOldSpaceMb + 3 * maxSemiSpaceMb,
      `heap limit ${capped} MB with the flags`,
    );
    const doubled = heapLimitMb([...SERVICE_NODE_FLAGS, `--max-old-space-size=${2 * maxOldSpaceMb}`]);
    assert.ok(doubled >= 2 * maxOldSpaceMb, `the last flag wins and moves the limit (${doubled} MB): it is the flag`);
  });
});
