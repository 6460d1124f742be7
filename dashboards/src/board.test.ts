import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from './board';

const q = [{ expr: 'up', legend: '{{service}}' }];

test('lays panels out left to right and wraps to a new line when a row of 24 columns is full', () => {
  const board = new Board({ uid: 'layout', title: 't', description: 'd' })
    .section('first')
    .panel({ title: 'a', description: 'a', queries: q, width: 16 })
    .panel({ title: 'b', description: 'b', queries: q, width: 16, height: 4 })
    .panel({ title: 'c', description: 'c', queries: q, width: 8 });
  const panels = board.build().panels as { title: string; gridPos: { x: number; y: number; w: number; h: number } }[];
  assert.deepEqual(
    panels.map((p) => [p.title, p.gridPos.x, p.gridPos.y]),
    [
      ['first', 0, 0],
      ['a', 0, 1],
      ['b', 0, 9],
      ['c', 16, 9],
    ],
  );
});

test('refuses a panel without a query, a width outside the grid, and a uid that is not kebab-case', () => {
  const board = new Board({ uid: 'ok', title: 't', description: 'd' });
  assert.throws(() => board.panel({ title: 'x', description: 'x', queries: [] }), /at least one query/);
  assert.throws(() => board.panel({ title: 'x', description: 'x', queries: q, width: 30 }), /outside 1..24/);
  assert.throws(() => new Board({ uid: 'Not OK', title: 't', description: 'd' }), /kebab-case/);
});
