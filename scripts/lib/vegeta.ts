/**
 * vegeta (MIT) at `VERSIONS.vegeta`, the HTTP load generator: built once per machine from the Go module proxy by
 * `ensureGoTool` and cached. Go's TLS and HTTP client cost a fraction of a Node generator's CPU per request, which
 * matters on a small box where the generator shares the cores with what it measures.
 */
import { VERSIONS } from '@scalefu/contracts';
import { ensureGoTool, type EnsureOptions, type GoToolSpec } from './go-tool';

export function vegetaToolSpec(version: string = VERSIONS.vegeta): GoToolSpec {
  return {
    name: 'vegeta',
    version,
    require: { 'github.com/tsenart/vegeta/v12': version },
    binaries: [{ output: 'vegeta', package: 'github.com/tsenart/vegeta/v12', ldflags: [`-X main.Version=${version}`] }],
  };
}

/** Absolute path of the vegeta binary, building it first if the cache lacks it. */
export async function vegetaBinary(options: EnsureOptions = {}): Promise<string> {
  return (await ensureGoTool(vegetaToolSpec(), options))['vegeta']!;
}
