import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ADMIN_WEB, INFRA_PORTS, SERVICES } from '@scalefu/contracts';
import { REPO_ROOT } from './lib/paths';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

// The README's ports table is documentation of contracts, not a second source: it must say what contracts say.
test('the README ports table matches the ports and override variables in contracts', () => {
  const rows = [
    ...Object.values(SERVICES).map((s) => [s.port, s.portEnv] as const),
    [ADMIN_WEB.port, ADMIN_WEB.portEnv] as const,
    ...Object.values(INFRA_PORTS).map((p) => [p.port, p.env] as const),
  ];
  for (const [port, env] of rows) {
    assert.match(readme, new RegExp(`\\|[^\\n]*\\b${port}\\b[^\\n]*\`${env}\``), `README lists ${port} with ${env}`);
  }
});
