/**
 * The third-party images the rendered manifests run, from the one lock table `platform/third-party-images.lock.json`
 * (image, tag, digest, where the digest was read). Constructs take `pinnedImage(id)`, so every workload image in
 * `clusters/` is `repository:tag@sha256:...`: the tag says what it is, the digest what runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One row of the lock table. */
export interface LockedImage {
  /** Repository with its registry, e.g. `docker.io/library/redis`. */
  readonly image: string;
  /** The tag the digest was read for. */
  readonly tag: string;
  /** Manifest (index) digest, `sha256:<64 hex>`, or null while no source for it was readable. */
  readonly digest: string | null;
  /** Where the digest was read (registry via skopeo, or the public source). */
  readonly source: string;
}

export type ThirdPartyImageId = 'redis' | 'redisExporter' | 'postgres' | 'otelCollector';

/** Path of the lock table, relative to the repository root (the refresh script rewrites it). */
export const IMAGE_LOCK_FILE = 'platform/third-party-images.lock.json';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses and checks the lock table's text; a malformed digest or a missing image is an error here, not at deploy. */
export function parseImageLock(text: string): Readonly<Record<ThirdPartyImageId, LockedImage>> {
  const parsed = JSON.parse(text) as { images?: Record<string, LockedImage> };
  const images = parsed.images ?? {};
  for (const id of ['redis', 'redisExporter', 'postgres', 'otelCollector'] as const) {
    const row = images[id];
    if (!row) throw new Error(`${IMAGE_LOCK_FILE}: no entry for ${id}`);
    if (!row.image || !row.tag || row.tag === 'latest')
      throw new Error(`${IMAGE_LOCK_FILE}: ${id} needs an image and a pinned tag`);
    if (row.digest !== null && !DIGEST.test(row.digest))
      throw new Error(`${IMAGE_LOCK_FILE}: ${id} digest is not sha256:<64 hex>`);
    if (!row.source) throw new Error(`${IMAGE_LOCK_FILE}: ${id} must say where its digest was read`);
  }
  return images as Record<ThirdPartyImageId, LockedImage>;
}

/** The lock table as committed. */
export const THIRD_PARTY_IMAGES = parseImageLock(
  readFileSync(resolve(import.meta.dirname, '..', 'third-party-images.lock.json'), 'utf8'),
);

/** `repository:tag@sha256:...` of a locked image; refuses one whose digest is not known yet. */
export function pinnedImage(id: ThirdPartyImageId): string {
  const row = THIRD_PARTY_IMAGES[id];
  if (!row.digest) throw new Error(`${IMAGE_LOCK_FILE}: ${id} has no digest yet; run the image-locks workflow`);
  return `${row.image}:${row.tag}@${row.digest}`;
}
