import type { PublicHost } from '@scalefu/contracts/routes';
import { apiOrigin } from './origins';

/** One problem with one field, as the API's error envelope lists it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** A non-2xx answer in the API's error envelope (or a network failure: `status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: readonly FieldProblem[] = [],
    /** Seconds from `Retry-After`, when the API sent one. */
    readonly retryAfter?: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface ApiReply<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Headers;
}

export interface ApiRequest {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Send cookies (the refresh cookie lives on the admin API host). */
  readonly credentials?: boolean;
  readonly signal?: AbortSignal;
}

interface Envelope {
  status?: string;
  code?: string;
  message?: string;
  errors?: FieldProblem[];
  data?: unknown;
}

/** One call to a public API host; resolves with the envelope's `data`, rejects with `ApiError`. */
export async function apiCall<T>(
  host: Exclude<PublicHost, 'web'>,
  path: string,
  request: ApiRequest = {},
): Promise<ApiReply<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${apiOrigin(host)}${path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      credentials: request.credentials ? 'include' : 'omit',
      cache: 'no-store',
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'network unreachable');
  }
  const text = await response.text();
  let envelope: Envelope = {};
  try {
    envelope = text ? (JSON.parse(text) as Envelope) : {};
  } catch {
    envelope = {};
  }
  if (!response.ok && response.status !== 304) {
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      envelope.code ?? `HTTP_${response.status}`,
      envelope.message ?? response.statusText,
      envelope.errors ?? [],
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
      envelope,
    );
  }
  return { status: response.status, data: envelope.data as T, headers: response.headers };
}
