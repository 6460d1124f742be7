#!/usr/bin/env tsx
/**
 * Purpose: upload the admin web's static export to the CDN bucket of a GCP environment (bucket name from
 *          platform/environments, the same source the Terraform stack uses) with cache headers — hashed assets
 *          `public, max-age=31536000, immutable`, HTML and the rest `no-cache` — archiving each release under
 *          `_releases/<id>/` and keeping the previous one as the rollback target.
 * Prerequisites: a fresh build (`npm run build -w apps/admin-web`; this script builds when stale), `gcloud` signed in
 *                with write access to the bucket (the CI deployer's Workload Identity, or a person's account).
 * Usage: npm run deploy -w apps/admin-web -- --env dev --dry-run     print the plan, run nothing
 *        npm run deploy -w apps/admin-web -- --env prod              deploy
 *        npm run deploy -w apps/admin-web -- --env prod --rollback   re-publish the previous release
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ENVIRONMENT_SETTINGS, namesOf } from '../../../platform/environments';
import { OUT_DIR, ensureAdminWebBuilt } from './build-lib';
import { RELEASES, deployPlan, rollbackPlan, type PlannedStep } from './deploy-plan';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'dev' },
    'dry-run': { type: 'boolean', default: false },
    rollback: { type: 'boolean', default: false },
    'release-id': { type: 'string' },
  },
});
const envName = values.env as keyof typeof ENVIRONMENT_SETTINGS;
const settings = ENVIRONMENT_SETTINGS[envName];
if (!settings) {
  console.error(`--env must be one of ${Object.keys(ENVIRONMENT_SETTINGS).join(', ')}`);
  process.exit(2);
}
const bucket = namesOf(settings).buckets.adminWeb;
const dryRun = values['dry-run'];

/** Read a release pointer; in a dry run GCP is not asked (it may be unreachable) and the pointer shows as a placeholder. */
function readPointer(name: 'CURRENT' | 'PREVIOUS'): string | undefined {
  if (dryRun) return `<${name} from gs://${bucket}/${RELEASES}/${name}>`;
  try {
    return execFileSync('gcloud', ['storage', 'cat', `gs://${bucket}/${RELEASES}/${name}`], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

let plan: PlannedStep[];
if (values.rollback) {
  const live = readPointer('CURRENT');
  const previous = readPointer('PREVIOUS');
  if (!live || !previous) {
    console.error(`no previous release recorded in gs://${bucket}/${RELEASES}/: nothing to roll back to`);
    process.exit(1);
  }
  plan = rollbackPlan(bucket, live, previous);
} else {
  if (!dryRun) await ensureAdminWebBuilt();
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'nogit';
    }
  })();
  const releaseId = values['release-id'] ?? `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${commit}`;
  plan = deployPlan({ bucket, outDir: OUT_DIR, releaseId, liveId: readPointer('CURRENT') });
}

console.log(`${dryRun ? 'plan (dry run, nothing uploaded)' : 'deploying'}: ${envName} → gs://${bucket}`);
for (const [i, step] of plan.entries()) {
  console.log(
    `${i + 1}. ${step.why}\n   ${step.command.map((a) => (/[\s'|*]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
  );
  if (!dryRun) execFileSync(step.command[0]!, step.command.slice(1), { stdio: 'inherit' });
}
