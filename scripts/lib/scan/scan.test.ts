/**
 * The scanners over real rendered output: the committed render of one environment has no unwaived finding, and
 * putting back weaknesses this issue fixed (Redis by tag and as uid 999, the GKE secrets key without prevent_destroy)
 * makes the scan fail on exactly those checks. Runs the pinned checkov and kube-score (installed once per machine).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scanAll, type ScannerBinaries } from './scan';
import { checkovBinary, kubeScoreBinary } from './tools';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const env = 'dev';

/** A copy of one environment's rendered output and the checkov config, to edit without touching the checkout. */
function copyOfRender(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scalefu-scan-'));
  cpSync(path.join(repo, 'clusters', env), path.join(dir, 'clusters', env), { recursive: true });
  const tf = path.join('platform', 'gcp', 'terraform', env, 'cdk.tf.json');
  cpSync(path.join(repo, tf), path.join(dir, tf));
  cpSync(path.join(repo, '.checkov.yaml'), path.join(dir, '.checkov.yaml'));
  return dir;
}

function edit(file: string, change: (text: string) => string): void {
  const text = readFileSync(file, 'utf8');
  const changed = change(text);
  assert.notEqual(changed, text, `the edit must change ${file}`);
  writeFileSync(file, changed);
}

describe('scanners (checkov + kube-score)', { timeout: 20 * 60_000 }, () => {
  let binaries: ScannerBinaries;
  const dirs: string[] = [];
  before(async () => {
    binaries = { checkov: await checkovBinary(() => {}), kubeScore: await kubeScoreBinary(() => {}) };
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the committed render has no unwaived finding', async () => {
    const dir = copyOfRender();
    dirs.push(dir);
    const result = await scanAll(dir, binaries);
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary.length, 3, result.summary.join('\n'));
  });

  it('fails again when a fixed weakness comes back', async () => {
    const dir = copyOfRender();
    dirs.push(dir);
    edit(path.join(dir, 'clusters', env, 'redis.k8s.yaml'), (t) =>
      t.replace(/(redis:8\.2\.3-alpine)@sha256:[0-9a-f]{64}/g, '$1').replace(/runAsUser: 10001/g, 'runAsUser: 999'),
    );
    edit(path.join(dir, 'platform', 'gcp', 'terraform', env, 'cdk.tf.json'), (t) =>
      t.replace('"prevent_destroy": true', '"prevent_destroy": false'),
    );
    const { findings } = await scanAll(dir, binaries);
    const has = (check: string, what: string) =>
      assert.ok(
        findings.some((f) => f.includes(check) && f.includes(what)),
        `${check} on ${what}:\n${findings.join('\n')}`,
      );
    has('CKV_K8S_43', 'StatefulSet.scalefu.redis'); // image by tag, not digest
    has('CKV_K8S_40', 'StatefulSet.scalefu.redis'); // uid below 10000
    has('CKV_GCP_82', 'kms_gke-secrets'); // KMS key destroyable
  });
});
