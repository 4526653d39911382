// Node only (imported from ./platform.ts): multipart/form-data encoded by our own code, chunk by
// chunk, so an upload never sits whole in memory. Node's fetch buffers a FormData of file-backed
// Blobs (a 256 MB page cost ~270 MB), and a stream page used to be collected into a Blob first.
// The bytes are the ones fetch's FormData would send (the WHATWG multipart algorithm), with a
// Content-Length whenever every part's size is known.
import { InvalidInputError } from '../errors.ts';

const encoder = /* @__PURE__ */ new TextEncoder();

/** A stream's chunk, which must be bytes (Response would refuse anything else too). */
function bytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(`the stream gave ${typeof chunk} instead of bytes`);
}

/**
 * A stream page: its head (read to sniff the type) and the rest of the stream, unread until it is
 * sent. A File to everything else (FormData keeps it as it is when appended without a filename);
 * its size is unknown (undefined) until read, so fetch's own FormData encoding sends it chunked,
 * and its bytes can be read once: stream() again after the rest was read errors.
 */
export class StreamPage extends File {
  readonly #head: Uint8Array[];
  readonly #rest: ReadableStreamDefaultReader<Uint8Array>;
  /** Set once a byte past the head was read: the page cannot be sent again. */
  #started = false;
  /** The stream's own error, why it was not bytes, or why it could not be sent again. */
  failure: Error | undefined;
  /** Set when an attempt asked for the page after its stream had been read. */
  resent = false;

  constructor(head: Uint8Array[], rest: ReadableStreamDefaultReader<Uint8Array>, name: string, type: string) {
    super(head as Uint8Array<ArrayBuffer>[], name, { type });
    this.#head = head;
    this.#rest = rest;
  }

  /** True once the rest of the stream has started to be read. */
  get started(): boolean {
    return this.#started;
  }

  // Unknown until the stream ends: a number here would be the head's length, and fetch would
  // declare a Content-Length that the body then overruns.
  override get size(): number {
    return undefined as unknown as number;
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const chunks = this.chunks();
    return new ReadableStream({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
      },
      cancel: (reason) => void this.#rest.cancel(reason).catch(() => undefined),
    });
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return new Response(this.stream()).arrayBuffer();
  }

  override text(): Promise<string> {
    return new Response(this.stream()).text();
  }

  /** Throws when the rest of the stream was read already: its bytes are gone. */
  claim(): void {
    if (!this.#started) return;
    this.resent = true;
    throw (this.failure ??= new Error('a stream page can be sent only once'));
  }

  /** The head, then the rest of the stream as it arrives; each chunk checked to be bytes. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    this.claim();
    yield* this.#head;
    this.#started = true;
    let done = false;
    try {
      for (;;) {
        let chunk: Uint8Array;
        try {
          const next = await this.#rest.read();
          if ((done = next.done)) return;
          chunk = bytes(next.value);
        } catch (error) {
          throw (this.failure = error as Error);
        }
        yield chunk;
      }
    } finally {
      // Ended early (the stream failed, or the request was aborted): release the source.
      if (!done) void this.#rest.cancel().catch(() => undefined);
    }
  }
}

/** The WHATWG multipart escaping of a name or filename: `"`, CR and LF percent-encoded. */
const escape = (text: string) => text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Bare CR or LF in a field name or text value become CRLF, as fetch sends them. */
const normalizeLinefeeds = (text: string) => text.replace(/\r\n?|\n/g, '\r\n');

/** The file each page from a file path reads (set by ./platform.ts), so node:http can read it itself. */
export const filePaths = new WeakMap<Blob, string>();

export interface EncodedForm {
  contentType: string;
  /** The exact byte count, or undefined when a stream page makes it unknown (sent chunked). */
  length: number | undefined;
  /**
   * The bytes, as they are asked for. With `reuse`, pages from file paths come in one buffer
   * read again for each chunk: the consumer must be done with a chunk before it asks for the next
   * (node:http's route awaits each write's callback); the garbage of a fresh buffer per chunk,
   * freed only at the next collection, is what made a 20 MB page cost 20 MB.
   */
  body(reuse: boolean): AsyncIterable<Uint8Array>;
}

/** `form` as multipart/form-data: its parts' headers now, their bytes when `body` is iterated. */
export function encodeMultipart(form: FormData): EncodedForm {
  const boundary = `----amani-${crypto.randomUUID()}`;
  const parts: Array<Uint8Array | Blob> = [];
  let length: number | undefined = 0;
  for (const [name, value] of form) {
    const disposition = `--${boundary}\r\nContent-Disposition: form-data; name="${escape(normalizeLinefeeds(name))}"`;
    if (typeof value === 'string') {
      parts.push(encoder.encode(`${disposition}\r\n\r\n${normalizeLinefeeds(value)}\r\n`));
    } else {
      const type = value.type || 'application/octet-stream';
      parts.push(encoder.encode(`${disposition}; filename="${escape(value.name)}"\r\nContent-Type: ${type}\r\n\r\n`), value, encoder.encode('\r\n'));
      // Refused now, before a byte of this attempt is sent, if an earlier one read the stream.
      if (value instanceof StreamPage) {
        value.claim();
        length = undefined;
      } else if (length !== undefined) length += value.size;
    }
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  if (length !== undefined) for (const part of parts) if (part instanceof Uint8Array) length += part.byteLength;
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, body: (reuse) => partsOf(parts, reuse) };
}

async function* partsOf(parts: Array<Uint8Array | Blob>, reuse: boolean): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    const path = reuse && part instanceof Blob ? filePaths.get(part) : undefined;
    if (part instanceof StreamPage) yield* part.chunks();
    else if (path !== undefined) yield* fileChunks(path, part as Blob);
    // A file-backed Blob's stream() reads its file lazily, 64 KiB at a time, as the socket drains.
    else if (part instanceof Blob) yield* part.stream() as unknown as AsyncIterable<Uint8Array>;
    else yield part;
  }
}

const FILE_CHUNK = 64 * 1024;

/**
 * The `page.size` bytes of the file at `path`, read chunk by chunk into one buffer. A file that
 * changed while it was read (another length or modification time than when sending began) ends
 * the upload with an error; the transport then finds the page unreadable (checkBody) and says so.
 */
async function* fileChunks(path: string, page: Blob): AsyncGenerator<Uint8Array> {
  // A computed specifier keeps bundlers from trying to resolve node:fs.
  const fsModule = 'node:fs/promises';
  const { open } = (await import(fsModule)) as typeof import('node:fs/promises');
  const handle = await open(path);
  try {
    const before = await handle.stat();
    const buffer = Buffer.allocUnsafe(FILE_CHUNK);
    for (let offset = 0; offset < page.size; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(FILE_CHUNK, page.size - offset), offset);
      if (bytesRead === 0) throw new Error(`${path} got shorter while it was being sent`);
      offset += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
    const after = await handle.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw new Error(`${path} changed while it was being sent`);
  } finally {
    await handle.close();
  }
}

/**
 * Reads the head of a stream page: at least `least` bytes, or the whole stream if it is shorter.
 * Returns the head and, unless the stream ended within it, the reader holding the rest.
 */
export async function readHead(
  field: string,
  stream: ReadableStream<Uint8Array>,
  least: number,
): Promise<{ head: Uint8Array[]; rest: ReadableStreamDefaultReader<Uint8Array> | undefined }> {
  const head: Uint8Array[] = [];
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    reader = stream.getReader();
    for (let read = 0; read < least; ) {
      const next = await reader.read();
      if (next.done) return { head, rest: undefined };
      head.push(bytes(next.value));
      read += next.value.byteLength;
    }
    return { head, rest: reader };
  } catch (error) {
    void reader?.cancel().catch(() => undefined);
    throw new InvalidInputError(field, 'is a stream that failed, was locked or gave non-bytes', error as Error);
  }
}
