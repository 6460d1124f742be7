#!/usr/bin/env tsx
/**
 * Purpose: the release pipeline's steps, the same ones `.github/workflows/release.yml` runs on main: build the
 *          images (`npm run images`), push them, pull each back by digest and check it, write the digests into the dev
 *          environment file (platform/environments/dev.ts), re-render clusters/dev and check every service there is
 *          pinned to the pushed digest; then (not with --dry-run) commit, and Argo CD syncs dev.
 *          --dry-run does all of it on this machine against a throw-away local registry (Debian's docker-registry on
 *          127.0.0.1) instead of Artifact Registry, and leaves the re-rendered tree uncommitted.
 * Prerequisites: buildah, skopeo, podman, runc, docker-registry (apt); for a real release, `skopeo login` to the
 *                registry done by the workflow (Workload Identity Federation, no key).
 * Usage: npm run release -- --dry-run
 *        npm run release                 (release.yml: pushes to dev's Artifact Registry, platform/environments)
 *        npm run release -- --registry <host/path>   push somewhere else
 */
import { IMAGE_NAMES, type ServiceName } from '@scalefu/contracts';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ENVIRONMENT_SETTINGS, namesOf } from '../platform/environments/index';
import type { ImageRecord } from './images';
import { say } from './lib/console';
import { IMAGES_DIR, REPO_ROOT, stackDirs } from './lib/paths';
import { ProcessSupervisor } from './lib/process-supervisor';
import { writeRelease } from './lib/release/environment-file';
import { startLocalRegistry } from './lib/release/local-registry';

const exec = promisify(execFile);
const { values: flags } = parseArgs({
  options: { 'dry-run': { type: 'boolean', default: false }, registry: { type: 'string' } },
});

const ENV_FILE = path.join(REPO_ROOT, 'platform', 'environments', 'dev.ts');
const dirs = stackDirs('release');
const supervisor = new ProcessSupervisor(dirs.root);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void supervisor.stopAll().then(() => process.exit(1)));

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  say.step('release', name);
  const result = await work();
  say.step('release', `${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function run(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args[0]} failed: ${(e.stderr || e.message).trim().split('\n').slice(-5).join('\n')}`);
  }
}

try {
  let registry = flags.registry ?? namesOf(ENVIRONMENT_SETTINGS.dev).imageRegistry;
  let tlsVerify = true;
  if (flags['dry-run']) {
    const local = await step('start a local registry', () => startLocalRegistry(supervisor, dirs));
    registry = `${local.host}/scalefu`;
    tlsVerify = false;
  }

  await step('build the images', () => run(process.execPath, ['--import', 'tsx', 'scripts/images.ts']));
  const images = JSON.parse(await readFile(path.join(IMAGES_DIR, 'images.json'), 'utf8')) as ImageRecord[];

  // Artifact Registry tags are immutable: each release gets its own, the version plus the commit.
  const revision = (await run('git', ['rev-parse', 'HEAD'])).trim().slice(0, 12);
  const tag = `${images[0]!.reference.split(':').pop()!}-${revision}`;
  const pushed = await step(`push to ${registry} as :${tag} and pull each back by digest`, async () => {
    const digests: Partial<Record<ServiceName, string>> = {};
    for (const image of images) {
      const target = `docker://${registry}/${IMAGE_NAMES[image.service]}:${tag}`;
      const digestFile = path.join(IMAGES_DIR, image.service, 'pushed-digest');
      await run('skopeo', [
        'copy',
        '--quiet',
        `--dest-tls-verify=${tlsVerify}`,
        '--digestfile',
        digestFile,
        `oci-archive:${image.archive}`,
        target,
      ]);
      const digest = (await readFile(digestFile, 'utf8')).trim();
      if (digest !== image.digest)
        throw new Error(`${image.image}: the registry stored ${digest}, the build made ${image.digest}`);
      const manifest = await run('skopeo', [
        'inspect',
        '--raw',
        `--tls-verify=${tlsVerify}`,
        `docker://${registry}/${IMAGE_NAMES[image.service]}@${digest}`,
      ]);
      const pulled = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
      if (pulled !== digest) throw new Error(`${image.image}: pulled back ${pulled}, pushed ${digest}`);
      digests[image.service] = digest;
      say.step(image.service, `${registry}/${IMAGE_NAMES[image.service]}:${tag}@${digest}`);
    }
    return digests;
  });

  await step('write the digests into platform/environments/dev.ts', async () => {
    await writeFile(ENV_FILE, writeRelease(await readFile(ENV_FILE, 'utf8'), tag, pushed));
  });
  await step('re-render clusters/', () => run(process.execPath, ['--import', 'tsx', 'platform/k8s/main.ts']));

  await step('check clusters/dev runs exactly the pushed digests', async () => {
    for (const [service, digest] of Object.entries(pushed)) {
      const rendered = await readFile(path.join(REPO_ROOT, 'clusters', 'dev', `${service}.k8s.yaml`), 'utf8');
      const images = [...rendered.matchAll(/image: (\S+)/g)].map((m) => m[1]!);
      const own = images.filter((i) => i.includes(`/${IMAGE_NAMES[service as ServiceName]}:`));
      if (own.length === 0 || !own.every((i) => i.endsWith(`:${tag}@${digest}`))) {
        throw new Error(
          `clusters/dev/${service}.k8s.yaml runs ${own.join(', ') || 'no image of it'}, not :${tag}@${digest}`,
        );
      }
    }
  });

  if (flags['dry-run']) {
    say.step('release', 'dry run: not committing; the re-rendered tree is left for you to inspect (git diff --stat)');
  } else {
    await step('commit the new digests', async () => {
      await run('git', ['add', 'platform/environments/dev.ts', 'clusters/dev']);
      await run('git', [
        'commit',
        '-m',
        `Release ${tag} to dev\n\n${images.map((i) => `${i.image}@${pushed[i.service]}`).join('\n')}`,
      ]);
    });
  }
} catch (error) {
  say.fail('release', (error as Error).message);
  process.exitCode = 1;
} finally {
  await supervisor.stopAll();
}
