import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { assertSoakFlags, drainPeaksMarkdown, judgeSoak, MemorySeries, soakMarkdown } from './soak';

/** `n` samples rising by `step` MB per sample from `start`, with a ±2 MB sawtooth as a collected heap shows. */
const series = (n: number, start: number, step: number) =>
  Array.from({ length: n }, (_, i) => start + step * i + (i % 2 ? 2 : -2));

describe('soak judge', () => {
  it('passes a flat series that only wobbles', () => {
    const verdict = judgeSoak('flat', series(90, 120, 0));
    assert.equal(verdict.bounded, true);
    assert.equal(verdict.samples, 90);
  });

  it('passes a series that warms up and then levels off', () => {
    const warm = [...series(30, 60, 2), ...series(60, 120, 0)];
    assert.equal(judgeSoak('warming', warm).bounded, true);
  });

  it('fails a series that keeps growing (a leak)', () => {
    const verdict = judgeSoak('leaky', series(90, 100, 1));
    assert.equal(verdict.bounded, false);
    assert.ok(verdict.lastPeakMb > verdict.middlePeakMb);
  });

  it('grants small processes the absolute margin, not only the 10 %', () => {
    assert.equal(judgeSoak('small', [...series(60, 30, 0), ...series(30, 36, 0)]).bounded, true);
    assert.equal(judgeSoak('small', [...series(60, 30, 0), ...series(30, 45, 0)]).bounded, false);
  });

  it('refuses too few samples, names a grown component and marks the data holder as not judged', () => {
    assert.throws(() => judgeSoak('short', [1, 2]), /cannot be split/);
    const table = soakMarkdown('PSS', [judgeSoak('leaky', series(9, 100, 10)), judgeSoak('redis', series(9, 100, 10))]);
    assert.match(table, /\| leaky \| 9 \|.*\| GREW \|/);
    assert.match(table, /\| redis \| 9 \|.*\| holds the data \(not judged\) \|/);
  });
});

describe('drain peaks', () => {
  it('prints every component and marks one that grew beyond the margin while the backlog drained', () => {
    const load = new MemorySeries([]);
    const drain = new MemorySeries([]);
    Object.assign(load.pss, { notifier: [320, 388, 380], onboarder: [218, 218], redis: [700, 1074] });
    Object.assign(drain.pss, { notifier: [388, 810, 805], onboarder: [218, 224], redis: [1074, 1300] });
    Object.assign(drain.rss, { notifier: [400, 820], onboarder: [264, 270], redis: [1900, 2100] });
    const table = drainPeaksMarkdown(load, drain);
    assert.match(table, /\| notifier \| 388 \| 810 \*\*above\*\* \| 820 \|/);
    assert.match(table, /\| onboarder \| 218 \| 224 \| 270 \|/);
    assert.match(table, /\| redis \| 1074 \| 1300 \(holds the data\) \| 2100 \|/, 'data growth is not flagged');
  });
});

describe('soak flags', () => {
  it('accept a run that gives thirds to compare and refuse one that cannot', () => {
    assert.doesNotThrow(() => assertSoakFlags(30, 5, 250));
    assert.throws(() => assertSoakFlags(Number.NaN, 5, 250), /minutes > 0/);
    assert.throws(() => assertSoakFlags(30, Number.NaN, 250), /sample-seconds/);
    assert.throws(() => assertSoakFlags(30, 5, 0), /--rate/);
    assert.throws(() => assertSoakFlags(0.1, 5, 250), /under 9 samples/);
  });
});

describe('MemorySeries', () => {
  it('samples a real process that allocates and sees its memory rise', async () => {
    // A child that holds 64 MB more after half a second: the series must show it.
    const child = spawn(
      process.execPath,
      [
        '-e',
        'setTimeout(() => { globalThis.held = Buffer.alloc(64 * 1024 * 1024, 1); }, 500); setTimeout(() => {}, 5000);',
      ],
      { detached: true, stdio: 'ignore' },
    );
    try {
      const memory = new MemorySeries([{ name: 'child', pids: [child.pid!] }]);
      memory.start(100);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      memory.stop();
      const rss = memory.rss['child']!;
      const pss = memory.pss['child']!;
      assert.ok(rss.length >= 5, `${rss.length} samples`);
      assert.ok(rss.at(-1)! - rss[0]! > 50, `RSS rose by ${(rss.at(-1)! - rss[0]!).toFixed(0)} MB`);
      assert.ok(pss.at(-1)! > 50 && pss.at(-1)! <= rss.at(-1)! * 1.1, 'PSS is positive and at most ~RSS');
    } finally {
      process.kill(child.pid!, 'SIGKILL');
    }
  });
});
