// The committed Terraform JSON is exactly what a fresh synth produces (what CI's `git diff --exit-code` checks).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_SETTINGS, namesOf } from '../environments';
import { GENERATED_NOTICE, committedPathOf, synthAll } from './synth';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const freshSynth = () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalefu-gcp-synth-'));
  dirs.push(dir);
  return synthAll(dir);
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('committed Terraform JSON', () => {
  const first = freshSynth();

  for (const env of ['dev', 'prod'] as const) {
    it(`${env}: equals a fresh synth (run \`npm run synth:gcp\` if this fails)`, () => {
      const committed = readFileSync(join(repoRoot, committedPathOf(env)), 'utf8');
      assert.ok(committed === first[env], `${committedPathOf(env)} is stale`);
    });

    it(`${env}: starts with the generated-by notice and carries no absolute paths`, () => {
      const parsed = JSON.parse(first[env]) as { '//': { generated: string } };
      assert.equal(Object.keys(parsed)[0], '//');
      assert.equal(parsed['//'].generated, GENERATED_NOTICE);
      assert.ok(!first[env].includes(repoRoot), 'output mentions the checkout path');
      assert.ok(!first[env].includes(tmpdir()), 'output mentions the temp dir');
    });

    it(`${env}: writes depends_on as bare addresses, the only form Terraform's JSON syntax accepts`, () => {
      const deps = [...first[env].matchAll(/"depends_on": \[([^\]]*)\]/g)].flatMap(
        (m) => JSON.parse(`[${m[1]}]`) as string[],
      );
      assert.ok(deps.length > 0);
      for (const d of deps) assert.match(d, /^[a-z_]+\.[A-Za-z0-9_-]+$/);
    });

    it(`${env}: keeps state in the environment's GCS state bucket`, () => {
      const parsed = JSON.parse(first[env]) as { terraform: { backend: { gcs: { bucket: string } } } };
      assert.equal(parsed.terraform.backend.gcs.bucket, namesOf(ENVIRONMENT_SETTINGS[env]).buckets.terraformState);
    });
  }

  it('is byte-identical across two synths', () => {
    assert.deepEqual(freshSynth(), first);
  });

  it('is what cdktf.json tells cdktf-cli to run', () => {
    const cdktf = JSON.parse(readFileSync(join(repoRoot, 'cdktf.json'), 'utf8')) as { app: string; output: string };
    assert.equal(cdktf.app, 'npx tsx platform/gcp/main.ts');
    assert.equal(cdktf.output, 'cdktf.out');
  });
});
