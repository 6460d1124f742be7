#!/usr/bin/env tsx
/**
 * Purpose: build the container image of every service without a Docker daemon: esbuild bundles the app (only what
 *          it imports at run time), the root filesystem holds the pinned Node.js 24 binary, exactly the shared
 *          libraries it links against and Debian's CA bundle — no shell, no package manager — and buildah commits it
 *          `FROM scratch` as uid/gid 10001, reproducibly (SOURCE_DATE_EPOCH = the commit's time). Writes an OCI
 *          archive, a CycloneDX SBOM and the digest per image under .scalefu/images/, and checks the size budget.
 * Prerequisites: `apt-get install -y buildah skopeo` (.ci/run installs them), root, npm deps installed.
 * Usage: npm run images [-- onboarder user …]        default: every service
 *        SOURCE_DATE_EPOCH=<seconds> npm run images   pin the build time yourself (default: HEAD's commit time)
 */
import {
  IMAGE_NAMES,
  IMAGE_SIZE_BUDGET_BYTES,
  IMAGE_USER,
  SERVICES,
  SERVICE_NAMES,
  SERVICE_NODE_FLAGS,
  SERVICE_PROCESS_ENV,
  type ServiceName,
} from '@scalefu/contracts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GITOPS_REPO } from '../platform/k8s/facts';
import { say } from './lib/console';
import { ENTRYPOINT_IN_IMAGE, APP_DIR_IN_IMAGE, bundleService } from './lib/images/bundle';
import { buildImage, buildToolsPresent, pruneDanglingImages, type BuiltImage } from './lib/images/buildah';
import { CA_BUNDLE, NODE_IN_IMAGE, buildRootFs } from './lib/images/rootfs';
import { cycloneDx } from './lib/images/sbom';
import { IMAGES_DIR, REPO_ROOT } from './lib/paths';

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const unknown = positionals.filter((p) => !(SERVICE_NAMES as readonly string[]).includes(p));
if (unknown.length) {
  say.fail('images', `unknown service(s): ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  process.exit(2);
}
const services = (positionals.length ? positionals : SERVICE_NAMES) as ServiceName[];

const missing = await buildToolsPresent();
if (missing.length) {
  say.fail('images', `${missing.join(' and ')} not installed: apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
const revision = git('rev-parse', 'HEAD');
const sourceDateEpoch = Number(process.env['SOURCE_DATE_EPOCH'] ?? git('log', '-1', '--format=%ct'));
if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch <= 0) {
  say.fail('images', `SOURCE_DATE_EPOCH must be seconds since the epoch, got "${process.env['SOURCE_DATE_EPOCH']}"`);
  process.exit(2);
}

/** What `npm run images` leaves for the release and the tests: one row per image. */
export interface ImageRecord {
  readonly service: ServiceName;
  readonly image: string;
  readonly reference: string;
  readonly digest: string;
  readonly compressedBytes: number;
  readonly archive: string;
  readonly sbom: string;
}

const records: ImageRecord[] = [];
for (const service of services) {
  const started = Date.now();
  say.step(service, 'bundling and building the image');
  const outDir = path.join(IMAGES_DIR, service);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'apps', service, 'package.json'), 'utf8')) as {
    version: string;
  };
  const bundle = await bundleService(service, outDir);
  const rootfs = await buildRootFs(bundle.appDir, outDir);
  const reference = `localhost/${IMAGE_NAMES[service]}:${version}`;
  let built: BuiltImage;
  try {
    built = await buildImage(
      {
        reference,
        rootfs: rootfs.dir,
        user: `${IMAGE_USER.uid}:${IMAGE_USER.gid}`,
        entrypoint: [NODE_IN_IMAGE, ...SERVICE_NODE_FLAGS, ENTRYPOINT_IN_IMAGE],
        workingDir: APP_DIR_IN_IMAGE,
        env: { NODE_ENV: 'production', NODE_EXTRA_CA_CERTS: CA_BUNDLE, ...SERVICE_PROCESS_ENV },
        labels: {
          'org.opencontainers.image.title': IMAGE_NAMES[service],
          'org.opencontainers.image.source': GITOPS_REPO.url,
          'org.opencontainers.image.revision': revision,
          'org.opencontainers.image.version': version,
          'org.opencontainers.image.created': new Date(sourceDateEpoch * 1000).toISOString(),
        },
        exposedPort: SERVICES[service].port,
        sourceDateEpoch,
      },
      path.join(outDir, 'image.oci.tar'),
      path.join(outDir, 'digest'),
    );
  } catch (error) {
    say.fail(service, (error as Error).message);
    process.exit(1);
  }
  const sbom = path.join(outDir, 'sbom.cdx.json');
  await writeFile(
    sbom,
    cycloneDx({
      image: IMAGE_NAMES[service],
      version,
      timestamp: new Date(sourceDateEpoch * 1000),
      npmPackages: bundle.packages,
      debianPackages: rootfs.debianPackages,
    }),
  );
  await rm(rootfs.dir, { recursive: true, force: true });
  records.push({ service, image: IMAGE_NAMES[service], sbom, ...built });
  say.ready(service, `${built.digest} (${mib(built.compressedBytes)} compressed)`, (Date.now() - started) / 1000);
}

// Rows of images not rebuilt this time stay, so `npm run images -- onboarder` keeps the others' records.
const indexFile = path.join(IMAGES_DIR, 'images.json');
const previous = existsSync(indexFile) ? (JSON.parse(await readFile(indexFile, 'utf8')) as ImageRecord[]) : [];
const index = [...previous.filter((p) => !services.includes(p.service)), ...records].sort((a, b) =>
  a.service.localeCompare(b.service),
);
await writeFile(indexFile, JSON.stringify(index, null, 2) + '\n');
await pruneDanglingImages();
console.log(`\n${'image'.padEnd(24)} ${'compressed'.padStart(10)}  digest`);
for (const r of records) console.log(`${r.image.padEnd(24)} ${mib(r.compressedBytes).padStart(10)}  ${r.digest}`);
const over = records.filter((r) => r.compressedBytes > IMAGE_SIZE_BUDGET_BYTES);
if (over.length) {
  say.fail('images', `over the ${mib(IMAGE_SIZE_BUDGET_BYTES)} budget: ${over.map((r) => r.image).join(', ')}`);
  process.exit(1);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
