// Security-relevant settings of the synthesized stacks (issue 5 acceptance). Pure synth: nothing talks to GCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_RATE_LIMIT } from '@scalefu/contracts';
import { ENVIRONMENT_SETTINGS, PLATFORM_ENVIRONMENTS, gcpOutputsOf } from '../environments';
import { addressOf, assertNoResource, assertResource, onlyResourceOf, resourcesOf, synthEnv } from './testing';

const synths = { dev: synthEnv('dev'), prod: synthEnv('prod') };

for (const name of ['dev', 'prod'] as const) {
  const synth = synths[name];
  const out = gcpOutputsOf(ENVIRONMENT_SETTINGS[name]);

  describe(`${name} stack: GKE`, () => {
    it('runs nodes without public IPs and fences the control plane to authorized networks only', () => {
      assertResource(synth, 'google_container_cluster', {
        // The same /28 the cdk8s NetworkPolicies open for the API server: one value in platform/environments.
        private_cluster_config: {
          enable_private_nodes: true,
          master_ipv4_cidr_block: ENVIRONMENT_SETTINGS[name].controlPlaneCidr,
        },
        master_authorized_networks_config: { gcp_public_cidrs_access_enabled: false },
      });
      const cluster = onlyResourceOf(synth, 'google_container_cluster') as {
        master_authorized_networks_config: { cidr_blocks: { cidr_block: string }[] };
      };
      const blocks = cluster.master_authorized_networks_config.cidr_blocks.map((b) => b.cidr_block);
      assert.ok(blocks.length > 0);
      assert.ok(!blocks.includes('0.0.0.0/0'), `control plane open to the world: ${blocks.join(', ')}`);
    });

    it('enables Workload Identity on the cluster and the GKE metadata server on every node pool', () => {
      assertResource(synth, 'google_container_cluster', {
        workload_identity_config: { workload_pool: out.workloadIdentityPool },
      });
      const pools = resourcesOf(synth, 'google_container_node_pool') as {
        node_config: { workload_metadata_config: { mode: string } };
      }[];
      assert.equal(pools.length, PLATFORM_ENVIRONMENTS[name].gcp.nodePools.length);
      for (const p of pools) assert.equal(p.node_config.workload_metadata_config.mode, 'GKE_METADATA');
    });

    it('enforces NetworkPolicy with Dataplane V2 and leaves the legacy Calico switch unset', () => {
      assertResource(synth, 'google_container_cluster', { datapath_provider: 'ADVANCED_DATAPATH' });
      const cluster = onlyResourceOf(synth, 'google_container_cluster');
      assert.equal(cluster['network_policy'], undefined);
    });

    it('uses shielded nodes with secure boot and integrity monitoring in every pool', () => {
      assertResource(synth, 'google_container_cluster', { enable_shielded_nodes: true });
      for (const p of resourcesOf(synth, 'google_container_node_pool') as {
        node_config: { shielded_instance_config: unknown };
      }[]) {
        assert.deepEqual(p.node_config.shielded_instance_config, {
          enable_integrity_monitoring: true,
          enable_secure_boot: true,
        });
      }
    });

    it('encrypts Kubernetes Secrets with its own Cloud KMS key, usable by the GKE service agent', () => {
      const key = addressOf(synth, 'google_kms_crypto_key', 'name', 'gke-secrets');
      assertResource(synth, 'google_container_cluster', {
        database_encryption: { state: 'ENCRYPTED', key_name: `\${${key}.id}` },
      });
      assertResource(synth, 'google_kms_crypto_key', { name: 'gke-secrets', rotation_period: '7776000s' });
      const grant = onlyResourceOf(synth, 'google_kms_crypto_key_iam_member') as { member: string; role: string };
      assert.match(
        grant.member,
        /^serviceAccount:service-\$\{.*\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/,
      );
      assert.equal(grant.role, 'roles/cloudkms.cryptoKeyEncrypterDecrypter');
    });

    it('never runs nodes as the Compute Engine default service account', () => {
      const sa = addressOf(synth, 'google_service_account', 'account_id', out.nodeServiceAccount.split('@')[0]);
      const nodeSa = `\${${sa}.email}`;
      const cluster = onlyResourceOf(synth, 'google_container_cluster') as { node_config: { service_account: string } };
      assert.equal(cluster.node_config.service_account, nodeSa, 'even the temporary default pool');
      for (const p of resourcesOf(synth, 'google_container_node_pool') as {
        node_config: { service_account: string };
      }[]) {
        assert.equal(p.node_config.service_account, nodeSa);
      }
      assertResource(synth, 'google_project_iam_member', { role: 'roles/container.defaultNodeServiceAccount' });
    });

    it('autoscales, auto-repairs and auto-upgrades every node pool, on a release channel', () => {
      for (const p of resourcesOf(synth, 'google_container_node_pool') as {
        management: unknown;
        autoscaling: { max_node_count: number };
      }[]) {
        assert.deepEqual(p.management, { auto_repair: true, auto_upgrade: true });
        assert.ok(p.autoscaling.max_node_count >= 1);
      }
      assertResource(synth, 'google_container_cluster', {
        release_channel: { channel: PLATFORM_ENVIRONMENTS[name].gcp.releaseChannel },
        logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
        monitoring_config: { enable_components: ['SYSTEM_COMPONENTS'] },
      });
    });
  });

  describe(`${name} stack: network`, () => {
    it('turns on flow logs and Private Google Access on the node subnet', () => {
      assertResource(synth, 'google_compute_subnetwork', {
        private_ip_google_access: true,
        log_config: {
          metadata: 'INCLUDE_ALL_METADATA',
          flow_sampling: PLATFORM_ENVIRONMENTS[name].gcp.flowLogSampling,
        },
      });
      assertResource(synth, 'google_compute_network', { auto_create_subnetworks: false });
    });

    it('gives private nodes egress through Cloud NAT on a Cloud Router', () => {
      assertResource(synth, 'google_compute_router_nat', {
        nat_ip_allocate_option: 'AUTO_ONLY',
        source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
        log_config: { enable: true, filter: 'ERRORS_ONLY' },
      });
      assert.equal(resourcesOf(synth, 'google_compute_router').length, 1);
    });

    it('denies all ingress by default and allows only named sources, never the internet or SSH', () => {
      assertResource(synth, 'google_compute_firewall', {
        direction: 'INGRESS',
        priority: 65534,
        source_ranges: ['0.0.0.0/0'],
        deny: [{ protocol: 'all' }],
      });
      const allows = resourcesOf(synth, 'google_compute_firewall').filter((r) => r['allow']) as {
        source_ranges: string[];
        target_tags: string[];
        allow: { ports: string[] }[];
      }[];
      assert.ok(allows.length > 0);
      for (const rule of allows) {
        assert.ok(!rule.source_ranges.includes('0.0.0.0/0'), 'an allow rule is open to the internet');
        assert.ok(rule.target_tags.length > 0, 'an allow rule targets every VM');
        assert.ok(!rule.allow.some((a) => a.ports.includes('22')), 'SSH is open');
      }
      assertResource(synth, 'google_compute_firewall', { source_ranges: ['35.191.0.0/16', '130.211.0.0/22'] });
    });
  });

  describe(`${name} stack: edge`, () => {
    it('rate-limits per connecting client IP (not X-Forwarded-For) in Cloud Armor, above the app limit', () => {
      assertResource(synth, 'google_compute_security_policy', {
        name: out.apiArmorPolicyName,
        type: 'CLOUD_ARMOR',
        advanced_options_config: { json_parsing: 'STANDARD' },
      });
      const rule = ruleOf<{
        preview: boolean;
        rate_limit_options: {
          enforce_on_key: string;
          exceed_action: string;
          rate_limit_threshold: { count: number; interval_sec: number };
        };
      }>(synth, 'throttle');
      assert.equal(rule.rate_limit_options.enforce_on_key, 'IP');
      assert.equal(rule.rate_limit_options.exceed_action, 'deny(429)');
      assert.equal(rule.rate_limit_options.rate_limit_threshold.interval_sec, PUBLIC_RATE_LIMIT.windowMs / 1000);
      assert.ok(rule.rate_limit_options.rate_limit_threshold.count >= PUBLIC_RATE_LIMIT.max);
      assert.equal(rule.preview, false);
      assert.ok(!synth.includes('XFF_IP'));
    });

    it('denies OWASP attacks with preconfigured WAF rules evaluated before the throttle', () => {
      const policy = onlyResourceOf(synth, 'google_compute_security_policy') as {
        rule: { priority: number; action: string; match: { expr?: { expression: string } } }[];
      };
      const waf = policy.rule.filter((r) => r.match.expr?.expression.startsWith('evaluatePreconfiguredWaf('));
      const sets = waf.map((r) => /'([^']+)'/.exec(r.match.expr!.expression)![1]);
      for (const set of ['sqli-v33-stable', 'xss-v33-stable', 'rce-v33-stable', 'lfi-v33-stable']) {
        assert.ok(sets.includes(set), `missing ${set}`);
      }
      const throttle = policy.rule.find((r) => r.action === 'throttle')!;
      for (const r of waf) {
        assert.equal(r.action, 'deny(403)');
        assert.ok(r.priority < throttle.priority, 'a WAF rule after the throttle would never see allowed traffic');
      }
    });

    it('serves the admin web from Cloud CDN with uniform bucket access and only object reads public', () => {
      assertResource(synth, 'google_compute_backend_bucket', { enable_cdn: true });
      for (const b of resourcesOf(synth, 'google_storage_bucket')) assert.equal(b['uniform_bucket_level_access'], true);
      assertResource(synth, 'google_storage_bucket', {
        name: out.buckets.postgresBackups,
        public_access_prevention: 'enforced',
      });
      const publicGrants = resourcesOf(synth, 'google_storage_bucket_iam_member').filter(
        (g) => g['member'] === 'allUsers',
      );
      assert.equal(publicGrants.length, 1);
      assertResource(synth, 'google_project_iam_custom_role', { permissions: ['storage.objects.get'] });
    });

    it('terminates HTTPS with a managed certificate, redirects HTTP, and falls back to index.html for SPA routes', () => {
      assertResource(synth, 'google_compute_managed_ssl_certificate', { managed: { domains: [out.hosts.web] } });
      assertResource(synth, 'google_compute_url_map', {
        default_url_redirect: { https_redirect: true, strip_query: false },
      });
      assertResource(synth, 'google_compute_url_map', {
        default_custom_error_response_policy: {
          error_response_rule: [
            { match_response_codes: ['403', '404'], path: '/index.html', override_response_code: 200 },
          ],
        },
      });
      assertResource(synth, 'google_compute_ssl_policy', { min_tls_version: 'TLS_1_2', profile: 'MODERN' });
    });
  });
}

describe('deletion protection per environment', () => {
  it('protects the prod cluster and prod buckets from terraform destroy', () => {
    assertResource(synths.prod, 'google_container_cluster', { deletion_protection: true });
    for (const b of resourcesOf(synths.prod, 'google_storage_bucket')) assert.equal(b['force_destroy'], false);
  });

  it('lets dev be torn down: cluster unprotected, buckets force-destroyable', () => {
    assertResource(synths.dev, 'google_container_cluster', { deletion_protection: false });
    assertNoResource(synths.dev, 'google_container_cluster', { deletion_protection: true });
    for (const b of resourcesOf(synths.dev, 'google_storage_bucket')) assert.equal(b['force_destroy'], true);
  });
});

/** The policy's rule with this action (fails if there is none). */
function ruleOf<T>(synth: string, action: string): T {
  const policy = onlyResourceOf(synth, 'google_compute_security_policy') as { rule: { action: string }[] };
  const rule = policy.rule.find((r) => r.action === action);
  assert.ok(rule, `no ${action} rule`);
  return rule as unknown as T;
}
