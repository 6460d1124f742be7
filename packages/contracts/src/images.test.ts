import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMAGE_NAMES, imageRef } from './images';

test('imageRef builds registry/name:tag from the one image-name table', () => {
  assert.equal(
    imageRef('europe-docker.pkg.dev/p/scalefu/', 'user', '1.2.3'),
    `europe-docker.pkg.dev/p/scalefu/${IMAGE_NAMES.user}:1.2.3`,
  );
});

test('imageRef refuses latest and empty tags so nothing unpinned reaches a cluster', () => {
  assert.throws(() => imageRef('r', 'onboarder', 'latest'), /must be pinned/);
  assert.throws(() => imageRef('r', 'onboarder', ''), /must be pinned/);
});
