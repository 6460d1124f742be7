/**
 * Purpose: start the OpenTelemetry SDK before a service's modules load, so pg and ioredis are instrumented when the
 *          app imports them. An ESM `import` of a CommonJS package bypasses `require`, so ioredis (patched on its
 *          main export) is only reachable through import-in-the-middle's loader hook, registered here in-thread
 *          (`module.registerHooks`) and limited to the packages that need it. pg is patched through its internal
 *          `require`s and needs no hook.
 * Prerequisites: Node.js >= 24.11.1 (the pinned Node 24: synchronous loader hooks); the tracing variables in ./config.ts.
 * Usage: node --import tsx --import @scalefu/service-kit/register apps/<name>/src/main.ts
 *        (scripts/lib/stack/services.ts and test/e2e/pipeline.ts start every service this way.)
 */
import { register } from 'import-in-the-middle/register-hooks.mjs';
import { loadTracingConfig } from './config';
import { startTracing } from './sdk';

/** Packages whose instrumentation patches the module's main export (see the header). */
const ESM_HOOKED_PACKAGES = ['ioredis'];

const config = loadTracingConfig();
if (startTracing(config)) register({ include: ESM_HOOKED_PACKAGES });
