/** Where this monorepo lives: Argo CD syncs it, and alert runbook links point into it. */
export const SOURCE_REPO = { url: 'https://github.com/jadepalace/scalefu.git', revision: 'main' } as const;

/** Browsable URL of a file in the repository at the synced revision (e.g. a runbook an alert links to). */
export function sourceFileUrl(file: string): string {
  return `${SOURCE_REPO.url.replace(/\.git$/, '')}/blob/${SOURCE_REPO.revision}/${file}`;
}
