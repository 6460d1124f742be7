import type { ErrorCode } from '@scalefu/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors';
import { toFieldErrors, type SchemaViolation } from '../schema-errors';
import { withDomainErrors } from './domain-precheck';
import { currentTraceContext } from '../tracing/context';

/** Fastify's own client-error codes, mapped onto the envelope's codes. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
};

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  428: 'PRECONDITION_REQUIRED',
  429: 'RATE_LIMITED',
  503: 'OVERLOADED',
};

export interface ErrorBody {
  status: 'error';
  message: string;
  code: ErrorCode;
  errors?: FieldError[];
  traceId?: string;
}

export function errorBody(code: ErrorCode, message: string, errors: readonly FieldError[] = []): ErrorBody {
  const traceId = currentTraceContext()?.traceId;
  return {
    status: 'error',
    message,
    code,
    ...(errors.length ? { errors: [...errors] } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

/** The one place errors become HTTP responses: client mistakes get their 4xx, only real faults a 500. */
export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.statusCode >= 500) request.log.warn({ err: error }, 'dependency unavailable');
    return reply
      .code(error.statusCode)
      .headers(error.headers)
      .send(errorBody(error.code, error.message, error.fieldErrors));
  }
  const fastifyError = error as FastifyError & { validation?: SchemaViolation[] };
  if (fastifyError.validation) {
    const context = (fastifyError as { validationContext?: string }).validationContext ?? 'body';
    const schemaFields = toFieldErrors(fastifyError.validation).map((f) =>
      context === 'body' ? f : { field: `${context}.${f.field}`, message: f.message },
    );
    const fields = context === 'body' ? withDomainErrors(request, schemaFields) : schemaFields;
    return reply.code(400).send(errorBody('VALIDATION_FAILED', 'Invalid input', fields));
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  const status = fastifyError.statusCode ?? 500;
  if (mapped || (status >= 400 && status < 500)) {
    const code = mapped ?? CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED';
    const httpStatus = code === 'MALFORMED_JSON' ? 400 : status >= 400 && status < 500 ? status : 400;
    const message = code === 'MALFORMED_JSON' ? 'Request body is not valid JSON' : clientMessage(fastifyError);
    return reply.code(httpStatus).send(errorBody(code, message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(errorBody('INTERNAL', 'Internal error'));
}

function clientMessage(error: FastifyError): string {
  // Fastify's messages are safe to show (they describe the request, not the server) but are terse.
  return error.message.replace(/^FST_\w+: /, '');
}
