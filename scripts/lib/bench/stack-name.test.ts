import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchStackName } from './stack-name';

describe('benchStackName', () => {
  it("uses BENCH_STACK_NAME, or the bench's default when it is unset or blank", () => {
    assert.equal(benchStackName('mine', 'bench'), 'mine');
    assert.equal(benchStackName(undefined, 'bench'), 'bench');
    assert.equal(benchStackName('  ', 'bench'), 'bench');
  });
  it("refuses npm start's and the test runner's stacks, whose data a fresh start would delete", () => {
    assert.throws(() => benchStackName('local', 'bench'), /would delete that stack's data/);
    assert.throws(() => benchStackName('test', 'bench'), /BENCH_STACK_NAME=test/);
  });
});
