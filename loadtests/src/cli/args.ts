import { parseArgs } from 'node:util';

/** `30`, `30s`, `2m`, `1h` → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`--duration must look like 30, 30s, 2m or 1h: ${text}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

/** Options shared by `npm run load` and `npm run tournament`. */
export function parseLoadArgs(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      target: { type: 'string' },
      'admin-target': { type: 'string' },
      stack: { type: 'string', default: process.env['LOAD_STACK_NAME'] ?? 'load' },
      'port-offset': { type: 'string', default: process.env['LOAD_PORT_OFFSET'] ?? '30000' },
      list: { type: 'boolean', default: false },
    },
  });
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0)) throw new Error(`--rate must be a positive number: ${values.rate}`);
  const portOffset = Number(values['port-offset']);
  if (!Number.isInteger(portOffset) || portOffset < 0) throw new Error('--port-offset must be a whole number ≥ 0');
  return {
    positionals,
    rate,
    durationSeconds: values.duration === undefined ? undefined : parseDuration(values.duration),
    target: values.target,
    adminTarget: values['admin-target'],
    stack: values.stack,
    portOffset,
    list: values.list,
  };
}
