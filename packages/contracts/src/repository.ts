/**
 * Where this monorepo lives: Argo CD syncs it, alert runbook links point into it, images name it as their source, and
 * only its release workflow on `revision` may push images (the GCP stack's GitHub deployer).
 */
export const SOURCE_REPO = {
  /** GitHub `owner/name`. */
  slug: 'jadepalace/scalefu',
  url: 'https://github.com/jadepalace/scalefu.git',
  revision: 'main',
} as const;

/** Browsable URL of a file in the repository at the synced revision (e.g. a runbook an alert links to). */
export function sourceFileUrl(file: string): string {
  return `${SOURCE_REPO.url.replace(/\.git$/, '')}/blob/${SOURCE_REPO.revision}/${file}`;
}
