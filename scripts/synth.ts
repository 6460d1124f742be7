#!/usr/bin/env tsx
/**
 * Purpose: render everything infra from `platform/`: Kubernetes manifests into `clusters/<env>/` (cdk8s) and
 *          the GCP stacks into committed Terraform JSON (CDKTF), after the dashboards and alert rules into
 *          `dashboards/rendered/` (the clusters' ConfigMaps and PrometheusRule come from the same sources).
 *          CI runs this and fails on any diff.
 * Prerequisites: `npm install` done. No cloud access needed.
 * Usage: npm run synth
 */
import { $ } from 'zx';

$.verbose = true;
const started = Date.now();
await $`tsx dashboards/src/render.ts`;
await $`tsx platform/k8s/main.ts`;
await $`tsx platform/gcp/main.ts`;
console.log(`synth: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
