// What the client tells a logger: one redacted entry per attempt, to a function or to the matching
// level of a console-style logger. Nothing here sees headers or bodies, so nothing here can leak.
import { RequestAbortedError } from '../errors.ts';

export interface RequestLogEntry {
  /** One line: method, redacted path, status or error, duration, attempt. */
  message: string;
  method: string;
  path: string;
  status?: number | undefined;
  error?: string | undefined;
  durationMs: number;
  attempt: number;
  /** Set when another attempt follows after this wait. */
  retryInMs?: number | undefined;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A console-style logger (console, pino, winston): each entry goes to one method as `(message,
 * fields)`, the fields being the entry without its message (winston would repeat a `message`
 * field); see the README for which level each entry uses.
 */
export type ConsoleLogger = Record<LogLevel, (message: string, fields: Omit<RequestLogEntry, 'message'>) => unknown>;

export type Logger = ((entry: RequestLogEntry) => void) | ConsoleLogger;

/** Formats one attempt's entry and hands it to the logger; a throwing logger never breaks a call. */
export function logAttempt(logger: Logger, fields: Omit<RequestLogEntry, 'message'>): void {
  const outcome = fields.status !== undefined ? String(fields.status) : (fields.error ?? 'error');
  const retry = fields.retryInMs !== undefined ? `, retrying in ${fields.retryInMs} ms` : '';
  const message = `${fields.method} ${fields.path} ${outcome} ${fields.durationMs}ms attempt ${fields.attempt}${retry}`;
  const status = fields.status ?? 0;
  // warn: another attempt follows; debug: a 2xx; info: a 4xx (the caller's typed error to handle)
  // or the caller's own abort; error: the call fails otherwise (transport error, 5xx, 3xx).
  const level: LogLevel =
    fields.retryInMs !== undefined
      ? 'warn'
      : status >= 200 && status < 300
        ? 'debug'
        : (status >= 400 && status < 500) || fields.error === RequestAbortedError.name
          ? 'info'
          : 'error';
  try {
    // Called as a method, so a logger whose methods need `this` (pino) works.
    if (typeof logger === 'function') logger({ message, ...fields });
    else logger[level](message, fields);
  } catch {
    // Logging must never break a request.
  }
}
