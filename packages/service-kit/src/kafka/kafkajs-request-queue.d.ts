/** KafkaJS' internal RequestQueue module (CommonJS, no types of its own); see request-queue-idle.ts. */
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: { prototype: Record<string | symbol, unknown> };
  export default RequestQueue;
}
