/**
 * Alert and recording rules as data: one source rendered to a plain Prometheus rules file (local Prometheus,
 * promtool) and wrapped in a PrometheusRule for the clusters. Every alert carries its promtool cases — one where it
 * fires and one where it stays quiet — so the unit tests are generated from the same definitions.
 */
import { sourceFileUrl } from '@scalefu/contracts';
import { pipelineAlerts } from './alerts/pipeline';
import { platformAlerts } from './alerts/platform';
import { sloAlerts, sloRecordingRules } from './alerts/slo';

export type Severity = 'critical' | 'warning';

/** One promtool scenario: input series from t=0 and the alerts expected at `at`. */
export interface RuleCase {
  /** Sample spacing of `series`. @default '1m' */
  readonly interval?: string;
  /** promtool series notation, e.g. `{ series: 'up{service="user"}', values: '1x30' }`. */
  readonly series: readonly { readonly series: string; readonly values: string }[];
  /** Evaluation time, e.g. `20m`. */
  readonly at: string;
  /** Labels each firing alert has besides the rule's own (`severity` and `labels`); empty = quiet. */
  readonly alerts: readonly Readonly<Record<string, string>>[];
}

export interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition holds before the alert fires. */
  readonly for: string;
  readonly severity: Severity;
  /** Extra static labels (e.g. `slo`, `service`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line; may use `{{ $labels.<name> }}`. */
  readonly summary: string;
  readonly description: string;
  /** Runbook file under runbooks/ and the heading anchor the alert lands on. */
  readonly runbook: { readonly file: string; readonly anchor: string };
  readonly fires: RuleCase;
  readonly quiet: RuleCase;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertSpec | RecordingRule)[];
}

export const isAlert = (rule: AlertSpec | RecordingRule): rule is AlertSpec => 'alert' in rule;

export function runbookUrl(runbook: AlertSpec['runbook']): string {
  return `${sourceFileUrl(`runbooks/${runbook.file}`)}#${runbook.anchor}`;
}

/** Every rule group, in evaluation order. */
export function ruleGroups(): RuleGroup[] {
  return [
    // No group interval: the evaluation interval of the Prometheus that loads them (5 s locally, 30 s in clusters).
    { name: 'scalefu-slo-recordings', rules: sloRecordingRules() },
    { name: 'scalefu-slo-alerts', rules: sloAlerts() },
    { name: 'scalefu-pipeline-alerts', rules: pipelineAlerts() },
    { name: 'scalefu-platform-alerts', rules: platformAlerts() },
  ];
}

export function allAlerts(): AlertSpec[] {
  return ruleGroups().flatMap((g) => g.rules.filter(isAlert));
}

/** One rule as Prometheus reads it (the clusters' typed PrometheusRule takes exactly these fields). */
export type PrometheusRuleEntry = {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
};

/** One rule group as Prometheus reads it. */
export type PrometheusRuleGroupEntry = {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly PrometheusRuleEntry[];
};

/** The rule as Prometheus reads it (rules file and PrometheusRule alike). */
function toPrometheus(rule: AlertSpec | RecordingRule): PrometheusRuleEntry {
  if (!isAlert(rule)) return { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: rule.labels } : {}) };
  return {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    labels: { severity: rule.severity, ...rule.labels },
    annotations: { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(rule.runbook) },
  };
}

/** `{ groups: [...] }`: the body of a Prometheus rules file and the `spec` of a PrometheusRule. */
export function rulesDocument(): { groups: PrometheusRuleGroupEntry[] } {
  return {
    groups: ruleGroups().map((g) => ({
      name: g.name,
      ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.map(toPrometheus),
    })),
  };
}

/** `{{ $labels.x }}` expanded the way Prometheus will, for promtool's expected annotations. */
function expand(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/** A promtool test file (`promtool test rules`) with both cases of every alert, reading `rulesFile`. */
export function promtoolTests(rulesFile: string): Record<string, unknown> {
  const tests = allAlerts().flatMap((rule) =>
    (['fires', 'quiet'] as const).map((which) => {
      const c = rule[which];
      return {
        name: `${rule.alert}${rule.labels ? ` ${JSON.stringify(rule.labels)}` : ''} ${which}`,
        interval: c.interval ?? '1m',
        input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [
          {
            eval_time: c.at,
            alertname: rule.alert,
            exp_alerts: c.alerts.map((extra) => {
              const labels = { severity: rule.severity, ...rule.labels, ...extra };
              return {
                exp_labels: labels,
                exp_annotations: {
                  summary: expand(rule.summary, labels),
                  description: expand(rule.description, labels),
                  runbook_url: runbookUrl(rule.runbook),
                },
              };
            }),
          },
        ],
      };
    }),
  );
  return { rule_files: [rulesFile], evaluation_interval: '1m', tests };
}
