#!/usr/bin/env tsx
/**
 * Purpose: synthesize the GCP stacks (dev, prod) with CDKTF and write the Terraform JSON that is committed
 *          to platform/gcp/terraform/<env>/cdk.tf.json (what `terraform -chdir=...` applies; CI diffs it).
 * Prerequisites: `npm install`. No GCP access, no Terraform, no cdktf-cli needed.
 * Usage: npm run synth:gcp   (also part of `npm run synth`)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { committedPathOf, synthAll } from './synth';

const started = Date.now();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// cdktf-cli (via cdktf.json) passes its output dir in CDKTF_OUTDIR; run directly, we use the same default.
const outdir = process.env.CDKTF_OUTDIR ?? join(repoRoot, 'cdktf.out');

const rendered = synthAll(outdir);
for (const [env, json] of Object.entries(rendered) as [keyof typeof rendered, string][]) {
  const target = join(repoRoot, committedPathOf(env));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, json);
  console.log(`synth:gcp: ${committedPathOf(env)} (${(json.length / 1024).toFixed(0)} KiB)`);
}
console.log(`synth:gcp: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
