import type { ServiceName } from './services';

/** Container image name of each workload; the registry and tag come from the environment overlay in `platform/`. */
export const IMAGE_NAMES: Readonly<Record<ServiceName, string>> = {
  onboarder: 'scalefu-onboarder',
  user: 'scalefu-user',
  notifier: 'scalefu-notifier',
  'cache-updater': 'scalefu-cache-updater',
};

/**
 * Full image reference; refuses `latest` and empty tags so nothing unpinned reaches a cluster. With a digest (what the
 * release pipeline writes into the environment file) the reference is pinned by content: `name:tag@sha256:…`.
 */
export function imageRef(registry: string, service: ServiceName, tag: string, digest?: string): string {
  if (!tag || tag === 'latest') throw new Error(`image tag for ${service} must be pinned, got "${tag}"`);
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`image digest for ${service} must be sha256:<64 hex>, got "${digest}"`);
  }
  return `${registry.replace(/\/+$/, '')}/${IMAGE_NAMES[service]}:${tag}${digest ? `@${digest}` : ''}`;
}

/** The unprivileged user every ScaleFu image runs as; pods' security contexts use the same ids. */
export const IMAGE_USER = { uid: 10001, gid: 10001, name: 'scalefu' } as const;

/** Largest compressed image `npm run images` accepts (ARCHITECTURE §13). */
export const IMAGE_SIZE_BUDGET_BYTES = 60 * 1024 * 1024;
