#!/usr/bin/env tsx
/**
 * Purpose: promote what runs in dev to prod: copy the released image tag and digests from platform/environments/dev.ts
 *          into prod.ts's release block and re-render clusters/. `.github/workflows/promote.yml` runs it and opens the
 *          pull request; merging that pull request is the deploy to prod.
 * Prerequisites: npm deps installed.
 * Usage: npm run promote
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ENVIRONMENT_SETTINGS } from '../platform/environments/index';
import { say } from './lib/console';
import { REPO_ROOT } from './lib/paths';
import { writeRelease } from './lib/release/environment-file';

const { imageTag, imageDigests } = ENVIRONMENT_SETTINGS.dev;
if (Object.keys(imageDigests).length === 0) {
  say.fail('promote', 'dev has no released digests yet: nothing to promote (run the release first)');
  process.exit(1);
}
const prodFile = path.join(REPO_ROOT, 'platform', 'environments', 'prod.ts');
await writeFile(prodFile, writeRelease(await readFile(prodFile, 'utf8'), imageTag, imageDigests));
execFileSync(process.execPath, ['--import', 'tsx', 'platform/k8s/main.ts'], { cwd: REPO_ROOT, stdio: 'inherit' });
say.step(
  'promote',
  `prod now pins ${imageTag}: ${Object.entries(imageDigests)
    .map(([s, d]) => `${s}@${d.slice(7, 19)}`)
    .join(', ')}`,
);
