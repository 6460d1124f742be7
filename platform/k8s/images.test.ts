/**
 * Every workload image in the rendered clusters is pinned by digest: third-party ones from the lock table always,
 * ScaleFu's own as soon as the environment file has a released digest for them (a tag until the first release).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VERSIONS } from '@scalefu/contracts';
import { PLATFORM_ENVIRONMENTS, namesOf } from '../environments/index';
import { OTEL_COLLECTOR_IMAGE } from './facts';
import { THIRD_PARTY_IMAGES, parseImageLock, pinnedImage } from './third-party-images';
import { podTemplates, renderedClusters } from './testing/rendered';

const DIGEST_REF = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$/;

describe('image pinning', () => {
  it('every rendered workload image is tag@sha256-pinned, or a ScaleFu image still waiting for its first release', async () => {
    const problems: string[] = [];
    for (const cluster of await renderedClusters()) {
      const { imageRegistry } = namesOf(PLATFORM_ENVIRONMENTS[cluster.env].settings);
      const images = podTemplates(cluster.docs).flatMap(({ workload, template }) =>
        [...(template.spec.initContainers ?? []), ...template.spec.containers].map((c) => ({
          where: `${cluster.env} ${workload.kind}/${workload.metadata.name} ${c.name}`,
          image: c.image,
        })),
      );
      const postgres = cluster.docs
        .filter((d) => d.kind === 'Cluster')
        .map((d) => ({ where: `${cluster.env} Cluster/${d.metadata.name}`, image: String(d.spec?.['imageName']) }));
      for (const { where, image } of [...images, ...postgres]) {
        const ours = image.startsWith(`${imageRegistry}/`);
        const service = ours
          ? image
              .slice(imageRegistry.length + 1)
              .split(/[:@]/)[0]!
              .replace(/^scalefu-/, '')
          : '';
        const released = ours && service in PLATFORM_ENVIRONMENTS[cluster.env].settings.imageDigests;
        if (ours && !released) continue;
        if (!DIGEST_REF.test(image)) problems.push(`${where}: ${image}`);
      }
      assert.ok(images.length >= 6 && postgres.length === 1, `${cluster.env}: found the workloads`);
    }
    assert.deepEqual(problems, []);
  });

  it('third-party images come from the lock table, and the Postgres tag runs the contracts major', () => {
    assert.equal(pinnedImage('postgres').split(':')[1]!.split('.')[0], String(VERSIONS.postgresMajor));
    assert.equal(
      pinnedImage('redis'),
      `${THIRD_PARTY_IMAGES.redis.image}:${THIRD_PARTY_IMAGES.redis.tag}@${THIRD_PARTY_IMAGES.redis.digest}`,
    );
    assert.equal(OTEL_COLLECTOR_IMAGE.tag, THIRD_PARTY_IMAGES.otelCollector.tag);
    for (const row of Object.values(THIRD_PARTY_IMAGES)) assert.ok(row.source.length > 20, 'says where it was read');
  });

  it('the lock table refuses a malformed digest, a latest tag and a row without a source', () => {
    const table = (row: object) =>
      JSON.stringify({ images: { ...THIRD_PARTY_IMAGES, redis: { ...THIRD_PARTY_IMAGES.redis, ...row } } });
    assert.throws(() => parseImageLock(table({ digest: 'sha256:abc' })), /sha256:<64 hex>/);
    assert.throws(() => parseImageLock(table({ tag: 'latest' })), /pinned tag/);
    assert.throws(() => parseImageLock(table({ source: '' })), /where its digest was read/);
  });
});
