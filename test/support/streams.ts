// Stream pages an upload cannot read to its end as bytes, each starting (where it yields anything)
// with a valid page, so only the stream itself can be the reason for the refusal.

const of = (...chunks: unknown[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk as Uint8Array);
      controller.close();
    },
  });

/** [description, fresh stream] pairs: a stream that fails midway, yields non-bytes or is locked. */
export function unreadableStreams(page: Uint8Array): Array<[string, () => ReadableStream<Uint8Array>]> {
  return [
    [
      'that fails midway',
      () =>
        new ReadableStream({
          start(controller) {
            controller.enqueue(page);
            controller.error(new Error('the network went away'));
          },
        }),
    ],
    ['that yields a string', () => of(page, 'more text')],
    ['that yields a number', () => of(page, 255)],
    ['that yields an ArrayBuffer', () => of(page.slice().buffer)],
    [
      'that is locked',
      () => {
        const stream = of(page);
        stream.getReader();
        return stream;
      },
    ],
  ];
}
