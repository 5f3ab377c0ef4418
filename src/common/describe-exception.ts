import { HttpException, HttpStatus } from '@nestjs/common';

export interface DescribedException {
  status: number;
  message: string;
  /** Not an HttpException: a fault of ours, answered with a generic message and logged in detail. */
  unexpected: boolean;
}

const MAX_MESSAGE = 1_000;

/** What an exception means for the client: its status and the message it may read. */
export function describeException(exception: unknown, bodyLimit?: string): DescribedException {
  if (!(exception instanceof HttpException)) {
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error', unexpected: true };
  }
  // Express's body parser errors reach filters as HttpExceptions caused by an http-errors object with a `type`.
  const { type: parserError, body } = (exception.cause ?? {}) as { type?: unknown; body?: unknown };
  if (parserError === 'entity.parse.failed') return expected(HttpStatus.BAD_REQUEST, isJson(body) ? 'Request body must be a JSON object' : 'Malformed JSON body');
  if (parserError === 'entity.too.large') return expected(HttpStatus.PAYLOAD_TOO_LARGE, `Request body too large${bodyLimit ? ` (limit ${bodyLimit})` : ''}`);
  return expected(exception.getStatus(), messageOf(exception));
}

/** Valid JSON the parser still refused: in strict mode, a string, number, boolean or null as the whole body. */
function isJson(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function expected(status: number, message: string): DescribedException {
  // Validation messages can quote a hostile client's property names: keep the answer bounded.
  return { status, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message, unexpected: false };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}
