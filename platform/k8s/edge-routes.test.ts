import { PUBLIC_ROUTES, publicHostName } from '@scalefu/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLATFORM_ENVIRONMENTS } from '../environments/index';
import { renderedClusters } from './testing/rendered';

test("every cluster's HTTPRoutes are exactly the contracts' public route table (the local edge serves the same)", async () => {
  for (const cluster of await renderedClusters()) {
    const domain = PLATFORM_ENVIRONMENTS[cluster.env].settings.dnsDomain;
    const rendered = cluster.docs
      .filter((d) => d.kind === 'HTTPRoute' && d.metadata.name !== 'http-to-https')
      .map((d) => {
        const spec = d.spec as {
          hostnames: string[];
          rules: { matches: { path: { value: string } }[]; backendRefs: { name: string }[] }[];
        };
        return {
          host: spec.hostnames.join(','),
          backend: spec.rules[0]!.backendRefs[0]!.name,
          prefixes: spec.rules[0]!.matches.map((m) => m.path.value),
        };
      })
      .sort((a, b) => a.backend.localeCompare(b.backend));
    const expected = PUBLIC_ROUTES.flatMap((r) =>
      r.backend.kind === 'service'
        ? [{ host: publicHostName(r.host, domain), backend: r.backend.service, prefixes: [...r.pathPrefixes] }]
        : [],
    ).sort((a, b) => a.backend.localeCompare(b.backend));
    assert.deepEqual(rendered, expected, cluster.env);
  }
});
