import { CloudEvent, Kafka } from 'cloudevents';

/** Header carrying the W3C trace context, beside the CloudEvents `ce_traceparent` extension (OTel propagators read this one). */
export const TRACEPARENT_HEADER = 'traceparent';

/** A CloudEvents 1.0 event as ScaleFu code sees it: attributes plus JSON data. */
export interface EventEnvelope<T = unknown> {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly traceparent?: string;
  readonly data: T;
}

/** What KafkaJS sends: headers are strings on the way out. */
export interface OutgoingKafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** What KafkaJS delivers: headers may be Buffers, arrays or absent. */
export interface IncomingKafkaRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Encode an event in CloudEvents Kafka *binary* mode: attributes in `ce_*` headers, JSON data as the value. */
export function toKafkaRecord<T>(event: EventEnvelope<T>, key: string): OutgoingKafkaRecord {
  const ce = new CloudEvent<T>(
    {
      id: event.id,
      source: event.source,
      type: event.type,
      time: event.time,
      datacontenttype: 'application/json',
      data: event.data,
      ...(event.subject ? { subject: event.subject } : {}),
      ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    },
    false,
  );
  const message = Kafka.binary(ce);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined && value !== null) headers[name] = String(value);
  }
  if (event.traceparent) headers[TRACEPARENT_HEADER] = event.traceparent;
  return { key, value: JSON.stringify(event.data), headers };
}

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Decode a binary-mode record; throws `InvalidEventError` (never a bare SyntaxError) on anything malformed. */
export function fromKafkaRecord(record: IncomingKafkaRecord): EventEnvelope<unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  for (const required of ['ce_id', 'ce_source', 'ce_type', 'ce_specversion']) {
    if (!headers[required]) throw new InvalidEventError(`missing CloudEvents header ${required}`);
  }
  if (headers['ce_specversion'] !== '1.0') {
    throw new InvalidEventError(`unsupported CloudEvents specversion ${headers['ce_specversion']}`);
  }
  if (record.value === null || record.value === undefined) throw new InvalidEventError('event has no data');
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString());
  } catch (error) {
    throw new InvalidEventError(`event data is not JSON: ${(error as Error).message}`);
  }
  const traceparent = headers[TRACEPARENT_HEADER] ?? headers['ce_traceparent'];
  return {
    id: headers['ce_id']!,
    source: headers['ce_source']!,
    type: headers['ce_type']!,
    time: headers['ce_time'] ?? new Date(0).toISOString(),
    ...(headers['ce_subject'] ? { subject: headers['ce_subject'] } : {}),
    ...(traceparent ? { traceparent } : {}),
    data,
  };
}
