/** Progress lines of the local stack: one per component, aligned, with the address once it is really ready. */
const useColor = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export const say = {
  step(component: string, message: string) {
    console.log(`${paint(36, '…')} ${component.padEnd(14)} ${message}`);
  },
  ready(component: string, address: string, seconds: number) {
    console.log(
      `${paint(32, '✔')} ${component.padEnd(14)} ready at ${address} ${paint(90, `(${seconds.toFixed(1)} s)`)}`,
    );
  },
  reused(component: string, address: string) {
    console.log(`${paint(32, '✔')} ${component.padEnd(14)} using existing ${address}`);
  },
  warn(component: string, message: string) {
    console.log(`${paint(33, '!')} ${component.padEnd(14)} ${message}`);
  },
  fail(component: string, message: string) {
    console.error(`${paint(31, '✖')} ${component.padEnd(14)} ${message}`);
  },
};

/** A failure the user can fix: the message names the cause and the fix. */
export class StackError extends Error {
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}
