/**
 * Talking to a running local stack from outside it: the run's rows in Postgres, the mails mailpit caught, and CPU
 * seconds per component from /proc (the supervisor's PID records). The load scenarios use it; so can benchmarks
 * (`npm run bench`) and the chaos suite, which need the same "acked vs stored vs confirmed vs mailed" accounting.
 */
export * from './cpu';
export * from './ledger';
export * from './mails';
export * from './rows';
