#!/usr/bin/env tsx
/**
 * Purpose: regenerate the typed custom-resource classes in platform/k8s/imports/ from the pinned CRDs in
 *          ../shared/crds with `cdk8s import` (one TypeScript module per API group). The output is committed; the
 *          constructs use these classes instead of raw ApiObject specs, so a wrong field is a type error.
 * Prerequisites: ../shared/crds beside the repository ($SCALEFU_CRDS_DIR when it lives elsewhere); the npm registry
 *          the first time (npx fetches the pinned cdk8s-cli into the npm cache; it is not a dependency of the
 *          repository).
 * Usage: npm run import:crds    (then npm run typecheck && npm run synth; the render must not change)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { VERSIONS } from '@scalefu/contracts';
import { SHARED_CRDS_DIR } from './lib/paths';

/** cdk8s-cli that generates the classes (pinned: its generator decides the code shape). */
const CDK8S_CLI = '2.207.60';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'platform', 'k8s', 'imports');
const ops = VERSIONS.operators;

/** The CRD files of every group the constructs render, by output module (one module per API group). */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  'argoproj.io': [`argo-cd-${ops.argocd}/application-crd.yaml`, `argo-cd-${ops.argocd}/appproject-crd.yaml`],
  'cert-manager.io': [
    `cert-manager-${ops.certManager}/cert-manager.io_certificates.yaml`,
    `cert-manager-${ops.certManager}/cert-manager.io_issuers.yaml`,
    `cert-manager-${ops.certManager}/cert-manager.io_clusterissuers.yaml`,
  ],
  'external-secrets.io': [
    `external-secrets-${ops.externalSecrets}/external-secrets.io_clustersecretstores.yaml`,
    `external-secrets-${ops.externalSecrets}/external-secrets.io_externalsecrets.yaml`,
  ],
  'gateway.networking.k8s.io': [
    `gateway-api-${ops.gatewayApi}/gateway.networking.k8s.io_gateways.yaml`,
    `gateway-api-${ops.gatewayApi}/gateway.networking.k8s.io_httproutes.yaml`,
  ],
  'kafka.strimzi.io': [
    `strimzi-${ops.strimzi}/040-Crd-kafka.yaml`,
    `strimzi-${ops.strimzi}/043-Crd-kafkatopic.yaml`,
    `strimzi-${ops.strimzi}/044-Crd-kafkauser.yaml`,
    `strimzi-${ops.strimzi}/045-Crd-kafkanodepool.yaml`,
  ],
  'keda.sh': [`keda-${ops.keda}/keda.sh_scaledobjects.yaml`, `keda-${ops.keda}/keda.sh_triggerauthentications.yaml`],
  'monitoring.coreos.com': [
    `prometheus-operator-${ops.prometheusOperator}/monitoring.coreos.com_podmonitors.yaml`,
    `prometheus-operator-${ops.prometheusOperator}/monitoring.coreos.com_prometheusrules.yaml`,
    `prometheus-operator-${ops.prometheusOperator}/monitoring.coreos.com_servicemonitors.yaml`,
  ],
  'networking.gke.io': [
    `gke-gateway-api-${ops.gkeGatewayApi}/networking.gke.io_gcpbackendpolicies.yaml`,
    `gke-gateway-api-${ops.gkeGatewayApi}/networking.gke.io_healthcheckpolicies.yaml`,
  ],
  'postgresql.cnpg.io': [
    `cloudnative-pg-${ops.cloudnativePg}/postgresql.cnpg.io_clusters.yaml`,
    `cloudnative-pg-${ops.cloudnativePg}/postgresql.cnpg.io_scheduledbackups.yaml`,
  ],
};

/** Appended to every generated module: the key order cdk8s' own ApiObject.toJson produces. */
const SORT_HELPER = `
/** Added by scripts/import-crds.ts: apiVersion, kind, metadata first, then keys sorted at every depth. */
function sortLikeCdk8s(obj: any): any {
  const sort = (v: any): any =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]))
        : v;
  const sorted = sort(obj);
  const { apiVersion, kind, metadata, ...rest } = sorted;
  return { apiVersion, kind, metadata, ...rest };
}
`;

/**
 * A CRD file as cdk8s should read it: with only its storage version when it has several (Gateway API's served v1beta1,
 * External Secrets' unserved v1beta1). The constructs render the storage version; a class per older version would
 * double the generated module for nothing. Single-version files pass through unchanged.
 */
function storageVersionOnly(text: string): string {
  const crd = parse(text) as { spec: { versions: { storage?: boolean }[] } };
  if (crd.spec.versions.length === 1) return text;
  return stringify({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.filter((v) => v.storage) } });
}

const work = mkdtempSync(path.join(tmpdir(), 'scalefu-crds-'));
try {
  for (const [group, files] of Object.entries(GROUPS)) {
    // One multi-document file per group, so cdk8s writes one module with every kind of the group.
    const bundle = path.join(work, `${group}.yaml`);
    writeFileSync(
      bundle,
      files.map((f) => storageVersionOnly(readFileSync(path.join(SHARED_CRDS_DIR, f), 'utf8'))).join('\n---\n'),
    );
    execFileSync(
      'npx',
      [
        '--yes',
        `--package=cdk8s-cli@${CDK8S_CLI}`,
        '--',
        'cdk8s',
        'import',
        bundle,
        '--language',
        'typescript',
        '--output',
        out,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], cwd: work },
    );
    const file = path.join(out, `${group}.ts`);
    const header =
      `// Generated by \`npm run import:crds\` (scripts/import-crds.ts, cdk8s-cli ${CDK8S_CLI}) from ` +
      `${files.join(', ')} in ../shared/crds. Do not edit.\n/* eslint-disable */\n`;
    // The repository compiles with verbatimModuleSyntax: cdk8s' generator imports two types as values.
    const code = readFileSync(file, 'utf8').replace(
      "import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';",
      "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
    );
    // The generated toJson rebuilds the object in schema order; sort it back the way cdk8s' ApiObject sorts (apiVersion,
    // kind, metadata first, then every key alphabetically), so switching a construct to these classes does not
    // reorder the rendered YAML.
    const sorted = code.replace(
      /return \{\n(\s+)\.\.\.(\w+)\.GVK,\n\s+\.\.\.(toJson_\w+Props)\(resolved\),\n(\s+)\};/g,
      'return sortLikeCdk8s({\n$1...$2.GVK,\n$1...$3(resolved),\n$4});',
    );
    writeFileSync(file, header + sorted + SORT_HELPER);
    console.log(`import:crds ${group}: ${path.relative(root, file)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
