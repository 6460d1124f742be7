/** Alerts on the runtime: a service's metrics target missing or down, and pods restarting. */
import { SERVICE_NAMES } from '@scalefu/contracts';
import type { AlertSpec } from '../rules';

/** Container restarts within 15 minutes that mean a crash loop rather than one rollout. */
export const RESTART_LIMIT = 3;

export function platformAlerts(): AlertSpec[] {
  const up = (service: string, value: 0 | 1) => ({
    series: `up{job="${service}",service="${service}"}`,
    values: `${value}x20`,
  });
  const targets = SERVICE_NAMES.map((service): AlertSpec => ({
    alert: 'ScaleFuTargetMissing',
    // absent() also covers "no target at all" (no pods, ServiceMonitor broken), which `up == 0` cannot see.
    expr: `absent(up{service="${service}"} == 1)`,
    for: '5m',
    severity: 'critical',
    labels: { service },
    summary: `No healthy metrics target for ${service}`,
    description: 'Prometheus has no target of this service answering its scrape: the service is down or unscrapable.',
    runbook: { file: 'targets.md', anchor: 'target-missing' },
    fires: {
      series: SERVICE_NAMES.map((s) => up(s, s === service ? 0 : 1)),
      at: '10m',
      alerts: [{}],
    },
    quiet: { series: SERVICE_NAMES.map((s) => up(s, 1)), at: '10m', alerts: [] },
  }));
  const restarts = 'kube_pod_container_status_restarts_total{namespace="scalefu",pod="user-7d9f",container="user"}';
  return [
    ...targets,
    {
      alert: 'ScaleFuPodRestarting',
      expr: `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{container=~"${SERVICE_NAMES.join('|')}"}[15m])) > ${RESTART_LIMIT}`,
      for: '5m',
      severity: 'warning',
      summary: 'Pod {{ $labels.pod }} keeps restarting',
      description: `Container {{ $labels.container }} restarted more than ${RESTART_LIMIT} times in 15 minutes (kube-state-metrics).`,
      runbook: { file: 'targets.md', anchor: 'pod-restarts' },
      fires: {
        series: [{ series: restarts, values: '0+1x30' }],
        at: '25m',
        alerts: [{ namespace: 'scalefu', pod: 'user-7d9f', container: 'user' }],
      },
      quiet: { series: [{ series: restarts, values: '0x30' }], at: '25m', alerts: [] },
    },
  ];
}
