/**
 * What the clusters' monitoring stack reads from ScaleFu: the alert and recording rules as a PrometheusRule, each
 * Grafana dashboard as a ConfigMap the dashboard sidecar loads, and a ServiceMonitor on Argo CD's metrics for the
 * dashboards' deploy annotations. Rules and dashboards come rendered from dashboards/src (one source with the local
 * Prometheus and the committed JSON).
 */
import type { PrometheusRuleGroupEntry } from '@scalefu/dashboards';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor } from '../imports/monitoring.coreos.com';

export interface ObservabilityProps {
  /** Namespace the PrometheusRule, ConfigMaps and ServiceMonitor live in. */
  readonly namespace: string;
  /** Rendered dashboards: uid and Grafana JSON. */
  readonly dashboards: readonly { readonly uid: string; readonly json: string }[];
  /** Prometheus rule groups (`{ groups }` of a rules file). */
  readonly rules: { readonly groups: readonly PrometheusRuleGroupEntry[] };
  /** Label the Grafana sidecar selects dashboard ConfigMaps by. */
  readonly dashboardLabel: { readonly name: string; readonly value: string };
  /** Annotation holding the Grafana folder name. */
  readonly folderAnnotation: string;
  /** Grafana folder of the dashboards. @default 'ScaleFu' */
  readonly folder?: string;
  /** Argo CD's metrics Service to scrape for sync events; omitted = no deploy annotations. @default none */
  readonly argoCdMetrics?: {
    readonly namespace: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly port: string;
  };
}

/** ConfigMaps go through client-side apply, whose last-applied annotation caps an object at 256 KiB. */
const MAX_DASHBOARD_BYTES = 256 * 1024 - 4096;

export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    if (props.dashboards.length === 0) throw new Error('Observability: no dashboards given');
    if (props.rules.groups.length === 0) throw new Error('Observability: no rule groups given');
    const uids = new Set<string>();
    for (const { uid, json } of props.dashboards) {
      if (uids.has(uid)) throw new Error(`Observability: dashboard uid "${uid}" appears twice`);
      uids.add(uid);
      if (Buffer.byteLength(json) > MAX_DASHBOARD_BYTES) {
        throw new Error(`Observability: dashboard ${uid} is over ${MAX_DASHBOARD_BYTES} bytes`);
      }
      new k8s.KubeConfigMap(this, `dashboard-${uid}`, {
        metadata: {
          name: `grafana-dashboard-${uid}`,
          namespace: props.namespace,
          labels: { [props.dashboardLabel.name]: props.dashboardLabel.value },
          annotations: { [props.folderAnnotation]: props.folder ?? 'ScaleFu' },
        },
        data: { [`${uid}.json`]: json },
      });
    }
    new PrometheusRule(this, 'rules', {
      metadata: { name: 'scalefu', namespace: props.namespace },
      spec: {
        groups: props.rules.groups.map((group) => ({
          ...group,
          rules: group.rules.map((rule) => ({
            ...rule,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
          })),
        })),
      },
    });
    if (props.argoCdMetrics) {
      new ServiceMonitor(this, 'argocd-metrics', {
        metadata: { name: 'argocd-metrics', namespace: props.namespace },
        spec: {
          namespaceSelector: { matchNames: [props.argoCdMetrics.namespace] },
          selector: { matchLabels: { ...props.argoCdMetrics.selector } },
          endpoints: [{ port: props.argoCdMetrics.port, interval: '30s' }],
        },
      });
    }
  }
}
