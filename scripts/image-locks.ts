#!/usr/bin/env tsx
/**
 * Purpose: refresh the third-party image lock table (platform/third-party-images.lock.json): read the current
 *          manifest digest of each row's image:tag from its registry and write it in, with where and when it was
 *          read. The scheduled workflow .github/workflows/image-locks.yml runs it, re-renders and opens a pull request.
 * Prerequisites: skopeo (Debian package) and network to the registries (docker.io, ghcr.io). Not this build machine:
 *          no registry is reachable from it (ADR 0102).
 * Usage: npm run image-locks              rewrite the table (then `npm run synth`)
 *        npm run image-locks -- --check   print the digests that would change, write nothing
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { IMAGE_LOCK_FILE, THIRD_PARTY_IMAGES, type ThirdPartyImageId } from '../platform/k8s/third-party-images';
import { withDigests } from './lib/image-locks/lock-file';

const exec = promisify(execFile);
const { values: flags } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const file = path.resolve(import.meta.dirname, '..', IMAGE_LOCK_FILE);

const digests: Partial<Record<ThirdPartyImageId, string>> = {};
for (const [id, row] of Object.entries(THIRD_PARTY_IMAGES) as [
  ThirdPartyImageId,
  (typeof THIRD_PARTY_IMAGES)[ThirdPartyImageId],
][]) {
  // The digest of the raw manifest (the multi-arch index) is what `image@sha256:` pins, for every platform.
  const { stdout } = await exec('skopeo', ['inspect', '--raw', `docker://${row.image}:${row.tag}`], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  digests[id] = `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
  console.log(`${id}: ${row.image}:${row.tag} ${digests[id]}${digests[id] === row.digest ? '' : ' (changed)'}`);
}
const before = readFileSync(file, 'utf8');
const after = withDigests(before, digests, new Date().toISOString().slice(0, 10));
if (flags.check) {
  console.log(after === before ? 'lock table is current' : 'lock table would change');
} else if (after !== before) {
  writeFileSync(file, after);
  console.log(`wrote ${IMAGE_LOCK_FILE}; now run npm run synth`);
}
