import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  DEPENDENCY_ENV,
  IMAGE_SIZE_BUDGET_BYTES,
  IMAGE_USER,
  SERVICE_NODE_FLAGS,
  SERVICE_PROCESS_ENV,
  RUNTIME_ENV,
  SERVICES,
  SERVICE_NAMES,
  VERSIONS,
  type Dependency,
  type ServiceName,
} from '@scalefu/contracts';
import { ENTRYPOINT_IN_IMAGE } from '../lib/images/bundle';
import { runContainer, removeContainer } from '../lib/images/podman';
import { NODE_IN_IMAGE } from '../lib/images/rootfs';
import { IMAGES_DIR, REPO_ROOT, stackDirs } from '../lib/paths';
import { ProcessSupervisor } from '../lib/process-supervisor';
import { mailsTo } from '../lib/stack/mail-inbox';
import { serviceEnv } from '../lib/stack/services';
import type { ImageRecord } from '../images';

/**
 * Issue 14 (images): `npm run images` on this checkout, then every image run with podman as the clusters run it —
 * uid 10001, read-only root filesystem — against the test stack; one registration through the containerised
 * onboarder reaches CONFIRMED through the containerised consumers.
 */
const exec = promisify(execFile);
const stackName = process.env['SCALEFU_TEST_STACK_NAME'] ?? 'test';
const dirs = stackDirs(stackName);
const supervisor = new ProcessSupervisor(dirs.root);
/** Beside the test stack's own service ports (+offset), so an e2e run never collides with the containers. */
const PORT_SHIFT = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000) + 1000;
const port = (service: ServiceName) => SERVICES[service].port + PORT_SHIFT;
const containerName = (service: ServiceName) => `scalefu-image-test-${service}`;

async function buildImages(...services: string[]): Promise<ImageRecord[]> {
  await exec(process.execPath, ['--import', 'tsx', 'scripts/images.ts', ...services], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(await readFile(path.join(IMAGES_DIR, 'images.json'), 'utf8')) as ImageRecord[];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through \`npm test\``);
  return value;
}

let images: ImageRecord[] = [];
before(async () => {
  images = await buildImages();
});
after(async () => {
  await supervisor.stopAll();
  for (const service of SERVICE_NAMES) await removeContainer(containerName(service));
});

describe('service images', () => {
  test('npm run images builds one image per service within the size budget, each with an SBOM', async () => {
    assert.deepEqual(images.map((i) => i.service).sort(), [...SERVICE_NAMES].sort());
    for (const image of images) {
      assert.match(image.digest, /^sha256:[0-9a-f]{64}$/);
      assert.ok(image.compressedBytes < IMAGE_SIZE_BUDGET_BYTES, `${image.image}: ${image.compressedBytes} bytes`);
      const sbom = JSON.parse(await readFile(image.sbom, 'utf8')) as {
        bomFormat: string;
        components: { name: string; version: string; purl: string }[];
      };
      assert.equal(sbom.bomFormat, 'CycloneDX');
      const names = sbom.components.map((c) => c.name);
      assert.ok(names.includes('node') && names.includes('libc6') && names.includes('fastify'), names.join(', '));
      assert.ok(!names.includes('typescript') && !names.includes('eslint'), 'dev dependencies reached the image');
    }
  });

  test('two builds of one commit give the same digest', async () => {
    const first = images.find((i) => i.service === 'onboarder')!;
    const again = (await buildImages('onboarder')).find((i) => i.service === 'onboarder');
    assert.equal(again!.digest, first.digest);
    images = images.map((i) => (i.service === 'onboarder' ? again! : i));
  });

  test('every image starts node with the service memory flags before its entry module, and their environment', async () => {
    // The memory settings travel with the image, not with whoever runs it (ADR 0146).
    for (const image of images) {
      const { stdout } = await exec('skopeo', ['inspect', '--config', `oci-archive:${image.archive}`]);
      const { config } = JSON.parse(stdout) as { config: { Entrypoint: string[]; Env: string[] } };
      assert.deepEqual(config.Entrypoint, [NODE_IN_IMAGE, ...SERVICE_NODE_FLAGS, ENTRYPOINT_IN_IMAGE], image.service);
      for (const [name, value] of Object.entries(SERVICE_PROCESS_ENV)) {
        assert.ok(config.Env.includes(`${name}=${value}`), `${image.service} environment lacks ${name}=${value}`);
      }
    }
  });

  test('images run as 10001, carry the OCI labels, and hold no shell and no writable root', async () => {
    const image = images.find((i) => i.service === 'user')!;
    const { stdout } = await exec('skopeo', ['inspect', '--config', `oci-archive:${image.archive}`]);
    const config = JSON.parse(stdout) as { config: { User: string; Labels: Record<string, string> } };
    assert.equal(config.config.User, `${IMAGE_USER.uid}:${IMAGE_USER.gid}`);
    for (const label of ['source', 'revision', 'version']) {
      assert.ok(config.config.Labels[`org.opencontainers.image.${label}`], `label ${label}`);
    }
    const probe = await exec('podman', [
      ...['--storage-driver', 'vfs', '--runtime', 'runc', 'run', '--rm', '--read-only', '--network', 'none'],
      ...['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096', '--entrypoint', '/usr/local/bin/node'],
      image.reference,
      '-e',
      `const fs = require('fs'); let writable = true; try { fs.writeFileSync('/app/x', 'x') } catch { writable = false }
       console.log(JSON.stringify({ version: process.version, uid: process.getuid(), writable,
         shells: ['/bin/sh', '/bin/bash', '/usr/bin/apt', '/usr/bin/dpkg'].filter((f) => fs.existsSync(f)) }))`,
    ]);
    assert.deepEqual(JSON.parse(probe.stdout.trim()), {
      version: `v${VERSIONS.node}`,
      uid: IMAGE_USER.uid,
      writable: false,
      shells: [],
    });
  });

  test('the four containers become ready and carry a registration to CONFIRMED', async () => {
    const connections = Object.fromEntries(
      (Object.keys(DEPENDENCY_ENV) as Dependency[]).map((d) => [d, required(DEPENDENCY_ENV[d])]),
    ) as Record<Dependency, string>;
    const onboarderUrl = `http://127.0.0.1:${port('onboarder')}`;
    for (const image of images) {
      const env = serviceEnv(image.service, port(image.service), connections, {
        [RUNTIME_ENV.nationalIdHmacKey]: required(RUNTIME_ENV.nationalIdHmacKey),
        [RUNTIME_ENV.publicBaseUrl]: onboarderUrl,
        [RUNTIME_ENV.rateLimitPerMinute]: '100000',
        ...(image.service === 'user'
          ? {
              [RUNTIME_ENV.jwtSigningKey]: required(RUNTIME_ENV.jwtSigningKey),
              [RUNTIME_ENV.mfaEncryptionKey]: required(RUNTIME_ENV.mfaEncryptionKey),
            }
          : {}),
      });
      runContainer(supervisor, {
        name: containerName(image.service),
        image: image.reference,
        env,
        logFile: path.join(dirs.logs, `image-${image.service}.log`),
      });
    }
    for (const service of SERVICE_NAMES) {
      await eventually(`${service} container /readyz = 200`, async () => {
        const response = await fetch(`http://127.0.0.1:${port(service)}/readyz`).catch(() => undefined);
        return response?.status === 200;
      });
    }
    const email = `image.${Date.now().toString(36)}@example.co.th`;
    const phone = `089${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const response = await fetch(`${onboarderUrl}/api/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Image Test', email, phoneNumber: phone }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { data } = (await response.json()) as { data: { userID: string } };
    await eventually('registration CONFIRMED', async () => {
      const status = await fetch(`${onboarderUrl}/api/v1/registrations/${data.userID}`);
      if (status.status !== 200) return false;
      return (
        ((await status.json()) as { data: { registrationStatus: string } }).data.registrationStatus === 'CONFIRMED'
      );
    });
    assert.ok((await mailsTo(required('MAIL_WEB_URL'), email)).length > 0, 'the confirmation mail was sent');
  });
});

async function eventually(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`${what}: not within ${ms / 1000} s`);
}
