import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '@scalefu/contracts';

/** What Node's HTTP parser refuses before fastify sees a request, mapped to the envelope's status and code. */
function classify(code: string | undefined): { status: number; errorCode: ErrorCode; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, errorCode: 'HEADERS_TOO_LARGE', message: 'Request header fields too large' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, errorCode: 'REQUEST_TIMEOUT', message: 'Request not received in time' };
  }
  return { status: 400, errorCode: 'VALIDATION_FAILED', message: 'Malformed HTTP request' };
}

/**
 * fastify `clientErrorHandler`: requests the parser refuses (oversized headers, garbage) still get the error envelope,
 * so a client never sees a body shape the OpenAPI documents do not describe.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy(error);
  const { status, errorCode, message } = classify(error.code);
  const body = JSON.stringify({ status: 'error', message, code: errorCode });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
  );
}
