import { VERSIONS } from '@scalefu/contracts';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { CACHE_DIR } from '../paths';
import { copyMavenJars, kafkaLibsDir } from '../stack/kafka';

const TOOLS_ARTIFACT = { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: VERSIONS.kafka };

/**
 * The jars of Apache Kafka's own tools (ConsumerPerformance is `kafka-consumer-perf-test.sh`'s class), fetched from
 * Maven Central once beside the broker's jars, which do not include them.
 */
async function ensureToolsJars(): Promise<string> {
  const work = path.join(CACHE_DIR, `kafka-tools-${VERSIONS.kafka}`);
  const libs = path.join(work, 'libs');
  const marker = path.join(libs, '.complete');
  if (existsSync(marker)) return libs;
  await mkdir(work, { recursive: true });
  const { groupId, artifactId, version } = TOOLS_ARTIFACT;
  const result = await copyMavenJars(work, libs, [`${groupId}:${artifactId}:${version}`]);
  if (result.exitCode !== 0) throw new Error(`fetching ${artifactId} ${version} from Maven Central failed`);
  await writeFile(marker, `${groupId}:${artifactId}:${version}\n`);
  return libs;
}

/**
 * Records per second Kafka's own consumer reads `topic` with (`kafka-consumer-perf-test`, a fresh group, from the
 * start, `messages` records): the ceiling a consumer of this broker on this box can reach.
 */
export async function kafkaConsumerPerfTest(brokers: string, topic: string, messages: number): Promise<number> {
  const tools = await ensureToolsJars();
  const result = await $({
    nothrow: true,
    quiet: true,
  })`java -Xmx512m -cp ${`${kafkaLibsDir()}/*:${tools}/*`} org.apache.kafka.tools.ConsumerPerformance --bootstrap-server ${brokers} --topic ${topic} --messages ${messages} --group scalefu-bench-perf-${Date.now()} --timeout 30000`;
  // Output: a header line, then "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...".
  const lines = result.stdout.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('nMsg.sec'));
  if (result.exitCode !== 0 || header < 0 || !lines[header + 1]) {
    throw new Error(
      `kafka-consumer-perf-test failed: ${(result.stderr || result.stdout).split('\n').slice(-3).join(' ')}`,
    );
  }
  const names = lines[header]!.split(',').map((s) => s.trim());
  const values = lines[header + 1]!.split(',').map((s) => s.trim());
  return Number(values[names.indexOf('nMsg.sec')]);
}
