import { stringify } from 'yaml';

export const RULES_FILE = 'rules.yaml';
export const RULES_TEST_FILE = 'rules.test.yaml';

const HEADER = '# generated from dashboards/src by `npm run dashboards` (or `npm run synth`); do not edit\n';

/** YAML with the generated-file header; long PromQL stays on one line so diffs stay readable. */
export function toYaml(document: unknown): string {
  return HEADER + stringify(document, { lineWidth: 0 });
}
