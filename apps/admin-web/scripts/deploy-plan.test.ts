import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_SETTINGS, namesOf } from '../../../platform/environments';
import { IMMUTABLE, NO_CACHE, deployPlan, rollbackPlan } from './deploy-plan';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const flat = (steps: { command: readonly string[] }[]) => steps.map((s) => s.command.join(' '));

test('uploads hashed assets immutable for a year before HTML with no-cache, and archives the release', () => {
  const plan = flat(deployPlan({ bucket: 'b', outDir: 'out', releaseId: 'r2', liveId: 'r1' }));
  assert.equal(plan[0], 'gcloud storage rsync --recursive out gs://b/_releases/r2');
  assert.equal(
    plan[1],
    `gcloud storage rsync --recursive --cache-control=${IMMUTABLE} out/_next/static gs://b/_next/static`,
  );
  assert.match(
    plan[2]!,
    new RegExp(`--cache-control=${NO_CACHE} --exclude=\\^\\(_next/static\\|_releases\\)/ out gs://b$`),
  );
  assert.ok(!plan.some((c) => / rm |--delete-unmatched/.test(c)), 'never deletes: old HTML keeps its scripts');
  assert.match(plan[3]!, /'r1' .* gs:\/\/b\/_releases\/PREVIOUS$/);
  assert.match(plan[4]!, /'r2' .* gs:\/\/b\/_releases\/CURRENT$/);
});

test('a first deploy has no previous release to keep', () => {
  const plan = flat(deployPlan({ bucket: 'b', outDir: 'out', releaseId: 'r1', liveId: undefined }));
  assert.equal(plan.filter((c) => c.includes('PREVIOUS')).length, 0);
});

test('rollback re-publishes the previous archive and swaps the pointers', () => {
  const plan = flat(rollbackPlan('b', 'r2', 'r1'));
  assert.match(plan[0]!, /no-cache .* gs:\/\/b\/_releases\/r1 gs:\/\/b$/);
  assert.match(plan[1]!, /'r2' .*\/_releases\/PREVIOUS$/);
  assert.match(plan[2]!, /'r1' .*\/_releases\/CURRENT$/);
});

test('--dry-run prints the plan for the bucket platform/environments names, without GCP', () => {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'deploy.ts'), '--env', 'prod', '--dry-run', '--release-id', 'test1'],
    {
      encoding: 'utf8',
      env: { ...process.env, PATH: '/usr/bin:/bin' },
    },
  );
  const bucket = namesOf(ENVIRONMENT_SETTINGS.prod).buckets.adminWeb;
  assert.match(output, new RegExp(`plan \\(dry run, nothing uploaded\\): prod → gs://${bucket}`));
  assert.ok(output.includes(`gs://${bucket}/_releases/test1`));
  assert.ok(output.includes(IMMUTABLE));
});
