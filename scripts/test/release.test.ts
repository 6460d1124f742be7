import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { IMAGE_NAMES, INFRA_PORTS, SERVICE_NAMES } from '@scalefu/contracts';
import type { ImageRecord } from '../images';
import { IMAGES_DIR, REPO_ROOT } from '../lib/paths';

/**
 * Issue 14 (release): `npm run release -- --dry-run` runs release.yml's steps here against a local registry and leaves
 * clusters/dev rendered with the pushed digests. The files it rewrites are put back afterwards, so the test leaves
 * the checkout as it found it.
 */
const exec = promisify(execFile);
const ENV_FILE = path.join(REPO_ROOT, 'platform', 'environments', 'dev.ts');
const CLUSTER_DIR = path.join(REPO_ROOT, 'clusters', 'dev');
const saved = new Map<string, string>();
/** What a dev release must not change. */
const untouched = new Map<string, string>();
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
let output = '';

before(async () => {
  for (const file of [ENV_FILE, ...readdirSync(CLUSTER_DIR).map((f) => path.join(CLUSTER_DIR, f))]) {
    saved.set(file, readFileSync(file, 'utf8'));
  }
  for (const file of [
    ...filesIn(path.join(REPO_ROOT, 'clusters', 'prod')),
    ...filesIn(path.join(REPO_ROOT, 'argocd')),
  ]) {
    untouched.set(file, readFileSync(file, 'utf8'));
  }
  const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
  const result = await exec(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--dry-run'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', [INFRA_PORTS.registry.env]: String(INFRA_PORTS.registry.port + offset) },
    maxBuffer: 16 * 1024 * 1024,
  });
  output = result.stdout;
});
after(() => {
  for (const [file, content] of saved) writeFileSync(file, content);
});

test('the dry run pushes every image, pulls it back by digest and writes those digests into the dev environment file', () => {
  const images = JSON.parse(readFileSync(path.join(IMAGES_DIR, 'images.json'), 'utf8')) as ImageRecord[];
  const envFile = readFileSync(ENV_FILE, 'utf8');
  for (const service of SERVICE_NAMES) {
    const digest = images.find((i) => i.service === service)!.digest;
    assert.match(output, new RegExp(`/${IMAGE_NAMES[service]}:[^@\\s]+@${digest}`), `pushed ${service}`);
    assert.ok(envFile.includes(`: '${digest}',`), `dev.ts holds ${service}'s digest`);
  }
});

test('clusters/dev is re-rendered with every service pinned to its pushed digest, and prod is untouched', () => {
  const images = JSON.parse(readFileSync(path.join(IMAGES_DIR, 'images.json'), 'utf8')) as ImageRecord[];
  for (const service of SERVICE_NAMES) {
    const rendered = readFileSync(path.join(CLUSTER_DIR, `${service}.k8s.yaml`), 'utf8');
    const digest = images.find((i) => i.service === service)!.digest;
    assert.match(rendered, new RegExp(`image: \\S+/${IMAGE_NAMES[service]}:\\S+@${digest}\\n`));
  }
  const prod = readFileSync(path.join(REPO_ROOT, 'clusters', 'prod', 'onboarder.k8s.yaml'), 'utf8');
  assert.doesNotMatch(prod, /scalefu-onboarder:\S+@sha256/);
});

test('prod and the Argo CD bootstrap render exactly as before', () => {
  for (const [file, before] of untouched) assert.equal(readFileSync(file, 'utf8'), before, `${file} changed`);
});

test('npm run promote copies the released tag and digests to prod and re-renders clusters/prod', async () => {
  const prodFile = path.join(REPO_ROOT, 'platform', 'environments', 'prod.ts');
  for (const file of [prodFile, ...filesIn(path.join(REPO_ROOT, 'clusters', 'prod'))]) {
    saved.set(file, readFileSync(file, 'utf8'));
  }
  await exec(process.execPath, ['--import', 'tsx', 'scripts/promote.ts'], { cwd: REPO_ROOT });
  const images = JSON.parse(readFileSync(path.join(IMAGES_DIR, 'images.json'), 'utf8')) as ImageRecord[];
  for (const service of SERVICE_NAMES) {
    const digest = images.find((i) => i.service === service)!.digest;
    const rendered = readFileSync(path.join(REPO_ROOT, 'clusters', 'prod', `${service}.k8s.yaml`), 'utf8');
    assert.match(rendered, new RegExp(`image: \\S+/${IMAGE_NAMES[service]}:\\S+@${digest}\\n`));
  }
});
