export * from './config';
export * from './context';
export { fastifyInstrumentation } from './http';
export { flushTracing, startTracing, tracingStarted } from './sdk';
