#!/usr/bin/env tsx
/**
 * Purpose: render the dashboards and alert rules defined in dashboards/src to committed files:
 *          dashboards/rendered/<uid>.json (Grafana dashboard JSON), rendered/rules.yaml (Prometheus rules file the
 *          local Prometheus loads) and rendered/rules.test.yaml (promtool unit tests of every alert). The clusters'
 *          ConfigMaps and PrometheusRule are rendered by `npm run synth` from the same sources.
 * Prerequisites: `npm install` done.
 * Usage: npm run dashboards        (also run by `npm run synth`; CI fails when the committed files differ)
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promtoolTests, renderDashboards, rulesDocument } from './index';
import { RULES_FILE, RULES_TEST_FILE, toYaml } from './yaml';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'rendered');
await mkdir(out, { recursive: true });
const written = new Set<string>();
const write = async (name: string, content: string) => {
  await writeFile(path.join(out, name), content);
  written.add(name);
};
for (const { uid, json } of renderDashboards()) await write(`${uid}.json`, json);
await write(RULES_FILE, toYaml(rulesDocument()));
await write(RULES_TEST_FILE, toYaml(promtoolTests(RULES_FILE)));
// A dashboard that was removed from the sources must not linger in the rendered folder.
for (const file of await readdir(out)) if (!written.has(file)) await rm(path.join(out, file));
console.log(`dashboards: ${written.size} files in ${path.relative(process.cwd(), out) || out}`);
