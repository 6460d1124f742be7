import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (scripts/lib/.. /..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The one git-ignored folder for everything the local stack downloads, stores and logs. */
export const STATE_ROOT = path.join(REPO_ROOT, '.scalefu');

/** Pinned upstream CRD schemas: `../shared/crds` beside the checkout (CI clones shared/ there), or `$SCALEFU_CRDS_DIR`. */
export const SHARED_CRDS_DIR = process.env['SCALEFU_CRDS_DIR'] ?? path.resolve(REPO_ROOT, '..', 'shared', 'crds');

/** Downloads that survive `--fresh` (Kafka jars). */
export const CACHE_DIR = path.join(STATE_ROOT, 'cache');

/** `npm run images` output: per image an OCI archive, its SBOM and digest; `images.json` lists them all. */
export const IMAGES_DIR = path.join(STATE_ROOT, 'images');

export interface StackDirs {
  /** The stack's own folder (`.scalefu/<name>`); every process of the stack is marked with it. */
  readonly root: string;
  /** Component data (Kafka log dirs, Postgres cluster, Redis AOF, mailpit mails, Prometheus TSDB). */
  readonly data: string;
  /** One log file per component and service. */
  readonly logs: string;
  /** Generated configs and the stack state file. */
  readonly run: string;
}

/** Folders of a named stack: `local` for `npm start`, `test` for `npm test`, so both can run side by side. */
export function stackDirs(name: string): StackDirs {
  const base = path.join(STATE_ROOT, name);
  return {
    root: base,
    data: path.join(base, 'data'),
    logs: path.join(base, 'logs'),
    run: path.join(base, 'run'),
  };
}
