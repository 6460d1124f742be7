import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestValidator } from './testing/crd-validator';
import { renderedClusters } from './testing/rendered';

describe('rendered manifests', () => {
  const validator = new ManifestValidator();

  it('loads a served schema for every pinned upstream CRD folder', () => {
    assert.ok(validator.size >= 25, `only ${validator.size} CRD versions loaded from ../shared/crds`);
  });

  it('every document in clusters/ and argocd/ validates (core kinds with kubernetes-models, CRs with their CRD schema)', async () => {
    const failures: string[] = [];
    let count = 0;
    for (const cluster of await renderedClusters()) {
      for (const file of [...cluster.files, ...cluster.argocd]) {
        for (const doc of file.docs) {
          count++;
          for (const error of validator.errors(doc)) {
            failures.push(
              `${cluster.env}/${file.file} ${String(doc.kind)}/${String((doc.metadata as { name: string }).name)}: ${error}`,
            );
          }
        }
      }
    }
    assert.ok(count > 100, `expected many documents, got ${count}`);
    assert.deepEqual(failures, []);
  });

  it('the validator rejects a custom resource with a misspelt field', () => {
    const errors = validator.errors({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name: 't' },
      spec: { partitions: 3, replica: 3 },
    });
    assert.ok(
      errors.some((e) => e.includes('replica')),
      errors.join('\n'),
    );
  });

  it('the validator rejects a core object with a wrong type', () => {
    const errors = validator.errors({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 'eighty' }] },
    });
    assert.notDeepEqual(errors, []);
  });

  it('the validator refuses kinds it has no schema for instead of passing them', () => {
    assert.match(
      validator.errors({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } })[0]!,
      /no schema/,
    );
  });
});
