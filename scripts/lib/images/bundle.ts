import { VERSIONS, type ServiceName } from '@scalefu/contracts';
import { build, type Metafile } from 'esbuild';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../paths';

/** Optional native add-ons the bundled libraries probe for and do without (pg's libpq binding). */
const ABSENT_OPTIONAL_MODULES = ['pg-native'];

/** Where the app lives inside the image: `/app/src/main.mjs`, so `new URL('../migrations', import.meta.url)` holds. */
export const APP_DIR_IN_IMAGE = '/app';
export const ENTRYPOINT_IN_IMAGE = `${APP_DIR_IN_IMAGE}/src/main.mjs`;

/** A package that ended up in the bundle, for the SBOM. */
export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string | undefined;
}

export interface AppBundle {
  /** Folder laid out as `/app` in the image. */
  readonly appDir: string;
  readonly packages: readonly BundledPackage[];
}

/**
 * Bundle one service (apps/<name>/src/main.ts) into a single ESM file with esbuild: only what the service imports at
 * run time goes in, so dev dependencies never reach the image. Data files the service reads next to its code
 * (migrations) are copied beside it.
 */
export async function bundleService(service: ServiceName, outDir: string): Promise<AppBundle> {
  const appRoot = path.join(REPO_ROOT, 'apps', service);
  const appDir = path.join(outDir, 'app');
  await mkdir(path.join(appDir, 'src'), { recursive: true });
  const result = await build({
    entryPoints: [path.join(appRoot, 'src', 'main.ts')],
    outfile: path.join(appDir, 'src', 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${VERSIONS.node.split('.')[0]}`,
    external: ABSENT_OPTIONAL_MODULES,
    // Native add-ons (argon2's prebuilt binding) go beside the bundle as files; the bundle requires them by path.
    loader: { '.node': 'copy' },
    // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    minify: false,
    sourcemap: false,
  });
  // Data files a module reads beside itself (`new URL('./x.txt', import.meta.url)`) now sit beside the bundle.
  for (const file of dataFilesIn(path.join(appRoot, 'src'))) {
    const target = path.join(appDir, 'src', path.basename(file));
    if (existsSync(target)) throw new Error(`${service}: two data files named ${path.basename(file)} in src/`);
    await cp(file, target);
  }
  if (existsSync(path.join(appRoot, 'migrations'))) {
    await cp(path.join(appRoot, 'migrations'), path.join(appDir, 'migrations'), { recursive: true });
  }
  await writeFile(path.join(appDir, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
  return { appDir, packages: bundledPackages(result.metafile) };
}

/** Files under `dir` that are neither code nor docs: what the service reads at run time. */
function dataFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !/\.(ts|md)$/.test(f) && statSync(path.join(dir, f)).isFile())
    .map((f) => path.join(dir, f));
}

/** The npm packages whose files esbuild put in the bundle, with the version and licence their package.json states. */
export function bundledPackages(metafile: Metafile): BundledPackage[] {
  const roots = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) roots.add(input.slice(0, match.index + match[0].length));
  }
  const packages = new Map<string, BundledPackage>();
  for (const root of roots) {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    packages.set(`${manifest.name}@${manifest.version}`, {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license,
    });
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A service compiled for a local run: `node --import <register> <main>` starts it. */
export interface LocalServiceBuild {
  readonly main: string;
  /** The kit's tracing register module, sharing one chunk of kit code with `main`. */
  readonly register: string;
}

/**
 * Compile one service for the local stack (`npm start`, the benches): the app and the workspace packages are bundled
 * to JavaScript, so no TypeScript loader runs in the service; npm packages stay outside the bundle and load from
 * node_modules, by bare name where Node finds the same file from the output folder (so `--import` hooks that match
 * package names, such as ioredis' instrumentation, still apply) and by absolute path where only a nested
 * node_modules has them. The register module and the app share one chunk, so the tracing SDK has one state.
 */
export async function buildServiceForLocalRun(service: ServiceName, outDir: string): Promise<LocalServiceBuild> {
  const appRoot = path.join(REPO_ROOT, 'apps', service);
  const srcOut = path.join(outDir, 'src');
  await mkdir(srcOut, { recursive: true });
  const requireFromOut = createRequire(path.join(srcOut, 'main.mjs'));
  await build({
    entryPoints: {
      main: path.join(appRoot, 'src', 'main.ts'),
      register: path.join(REPO_ROOT, 'packages', 'service-kit', 'src', 'tracing', 'register.ts'),
    },
    outdir: srcOut,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: `node${VERSIONS.node.split('.')[0]}`,
    external: ABSENT_OPTIONAL_MODULES,
    loader: { '.node': 'copy' },
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [
      {
        name: 'node-modules-outside',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('@scalefu/') || args.path.startsWith('node:') || args.pluginData === 'inner') {
              return undefined;
            }
            const resolved = await builder.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'inner',
            });
            if (resolved.errors.length || resolved.external || !resolved.path.includes('/node_modules/')) {
              return undefined;
            }
            let sameFromOut = false;
            try {
              sameFromOut = requireFromOut.resolve(args.path) === resolved.path;
            } catch {
              sameFromOut = false;
            }
            return { path: sameFromOut ? args.path : resolved.path, external: true };
          });
        },
      },
    ],
  });
  for (const file of dataFilesIn(path.join(appRoot, 'src'))) await cp(file, path.join(srcOut, path.basename(file)));
  if (existsSync(path.join(appRoot, 'migrations'))) {
    await cp(path.join(appRoot, 'migrations'), path.join(outDir, 'migrations'), { recursive: true });
  }
  await writeFile(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
  return { main: path.join(srcOut, 'main.mjs'), register: path.join(srcOut, 'register.mjs') };
}
