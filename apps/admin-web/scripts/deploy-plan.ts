/**
 * The admin web's release to its CDN bucket as a list of `gcloud storage` commands, pure so the plan is tested and
 * `--dry-run` prints exactly what a real run executes.
 *
 * Layout in the bucket: the live site at the root; every release also archived under `_releases/<id>/` and named in
 * `_releases/CURRENT` / `_releases/PREVIOUS`, so a rollback re-publishes the previous archive. Hashed assets
 * (`_next/static/`) are never deleted: HTML still cached by a CDN edge or a browser keeps finding its scripts.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
/** Paths under the export whose names carry a content hash (safe to cache for a year). */
export const HASHED_PREFIX = '_next/static';
export const RELEASES = '_releases';

export interface DeployInput {
  /** `gs://` bucket name (from platform/environments `namesOf(env).buckets.adminWeb`). */
  readonly bucket: string;
  /** The static export folder. */
  readonly outDir: string;
  /** This release's id (commit and time). */
  readonly releaseId: string;
  /** The id now live (read from `_releases/CURRENT`), which becomes PREVIOUS; undefined on the first deploy. */
  readonly liveId: string | undefined;
}

export interface PlannedStep {
  readonly why: string;
  readonly command: readonly string[];
}

const gcs = (...args: string[]) => ['gcloud', 'storage', ...args];

/** Upload a new release: archive, hashed assets (immutable), then everything else (no-cache), then the pointers. */
export function deployPlan(input: DeployInput): PlannedStep[] {
  const root = `gs://${input.bucket}`;
  const archive = `${root}/${RELEASES}/${input.releaseId}`;
  const steps: PlannedStep[] = [
    {
      why: 'archive the whole export (what a rollback re-publishes)',
      command: gcs('rsync', '--recursive', input.outDir, archive),
    },
    {
      why: 'hashed assets first, cached for a year (new HTML must never point at a missing script)',
      command: gcs(
        'rsync',
        '--recursive',
        `--cache-control=${IMMUTABLE}`,
        `${input.outDir}/${HASHED_PREFIX}`,
        `${root}/${HASHED_PREFIX}`,
      ),
    },
    {
      why: 'HTML, RSC payloads and csp-hashes.json: revalidated on every request',
      command: publishCommand(input.outDir, root),
    },
  ];
  if (input.liveId) {
    steps.push({
      why: `keep ${input.liveId} as the rollback target`,
      command: pointer(root, 'PREVIOUS', input.liveId),
    });
  }
  steps.push({ why: `${input.releaseId} is live`, command: pointer(root, 'CURRENT', input.releaseId) });
  return steps;
}

/** Re-publish the PREVIOUS archive's non-hashed files (its hashed assets never left the bucket) and swap pointers. */
export function rollbackPlan(bucket: string, liveId: string, previousId: string): PlannedStep[] {
  const root = `gs://${bucket}`;
  return [
    {
      why: `publish ${previousId}'s HTML again (its hashed assets are still in place)`,
      command: publishCommand(`${root}/${RELEASES}/${previousId}`, root),
    },
    { why: `${liveId} becomes the rollback target`, command: pointer(root, 'PREVIOUS', liveId) },
    { why: `${previousId} is live`, command: pointer(root, 'CURRENT', previousId) },
  ];
}

function publishCommand(from: string, root: string): string[] {
  return gcs(
    'rsync',
    '--recursive',
    `--cache-control=${NO_CACHE}`,
    `--exclude=^(${HASHED_PREFIX}|${RELEASES})/`,
    from,
    root,
  );
}

function pointer(root: string, name: 'CURRENT' | 'PREVIOUS', id: string): string[] {
  return [
    'sh',
    '-c',
    `printf %s '${id}' | gcloud storage cp --cache-control=${NO_CACHE} - ${root}/${RELEASES}/${name}`,
  ];
}
