import { VERSIONS } from '@scalefu/contracts';
import { ensureGoTool } from '../../../scripts/lib/go-tool';

/** vegeta at `VERSIONS.vegeta`, built once per machine from the Go module proxy (ADR 0120). */
export async function vegetaBinary(log?: (line: string) => void): Promise<string> {
  const version = VERSIONS.vegeta;
  const built = await ensureGoTool(
    {
      name: 'vegeta',
      version,
      require: { 'github.com/tsenart/vegeta/v12': version },
      binaries: [
        {
          output: 'vegeta',
          package: 'github.com/tsenart/vegeta/v12',
          ldflags: [`-X main.Version=${version}`],
        },
      ],
    },
    log ? { log } : {},
  );
  return built['vegeta']!;
}
