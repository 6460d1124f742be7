#!/usr/bin/env tsx
/**
 * Purpose: run the policy scanners over every rendered environment — checkov (kubernetes framework) and kube-score
 *          over `clusters/<env>/`, checkov (terraform_json framework) over `platform/gcp/terraform/<env>/cdk.tf.json`
 *          — and fail on any finding that is not waived in writing (`.checkov.yaml` for Terraform JSON, `checkov.io/skip*`
 *          and `kube-score/ignore` annotations with a reason for Kubernetes). CI runs it as its own timed step.
 * Prerequisites: python3 (3.9+, with venv) and PyPI the first time (checkov's venv), Go 1.24+ and the Go module proxy
 *          the first time (kube-score); both are cached in $SCALEFU_TOOLS_CACHE (default ~/.cache/scalefu/tools).
 *          The rendered output must be current (`npm run synth`).
 * Usage: npm run scan                    scan clusters/* and platform/gcp/terraform/*
 *        npm run scan -- --install-only  only install (or reuse) the pinned scanners
 *        npm run scan -- --root <dir>    scan a copy of the repository's rendered output (the scanner test uses it)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StackError, say } from './lib/console';
import { scanAll } from './lib/scan/scan';
import { checkovBinary, kubeScoreBinary } from './lib/scan/tools';

const { values: flags } = parseArgs({
  options: { 'install-only': { type: 'boolean', default: false }, root: { type: 'string' } },
});

try {
  const started = Date.now();
  const [checkov, kubeScore] = await Promise.all([
    checkovBinary((line) => say.step('checkov', line)),
    kubeScoreBinary((line) => say.step('kube-score', line)),
  ]);
  say.ready('scanners', `${checkov}, ${kubeScore}`, (Date.now() - started) / 1000);
  if (!flags['install-only']) {
    const root = path.resolve(flags.root ?? path.join(import.meta.dirname, '..'));
    const result = await scanAll(root, { checkov, kubeScore });
    for (const line of result.summary) console.log(line);
    if (result.findings.length) {
      for (const f of result.findings) console.log(`FINDING ${f}`);
      throw new StackError('scan', `${result.findings.length} unwaived finding(s); fix them or waive with a reason`);
    }
    say.ready('scan', 'no unwaived findings', (Date.now() - started) / 1000);
  }
} catch (error) {
  say.fail(error instanceof StackError ? error.component : 'scan', (error as Error).message);
  process.exit(1);
}
