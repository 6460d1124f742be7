export * from './email';
export * from './masking';
export * from './name';
export * from './national-id';
export * from './national-id-hmac';
export * from './phone';
export * from './registration';
export * from './result';
