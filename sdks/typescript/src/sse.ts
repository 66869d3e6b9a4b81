/** A small Server-Sent Events parser over a fetch `ReadableStream` (the WHATWG rules). */

export interface RawSseEvent {
  id: string | undefined;
  event: string;
  data: string;
  retry: number | undefined;
}

/** Yields each dispatched event of `body`; comments (`: keepalive`) are skipped. */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<RawSseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  let firstChunk = true;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return; // an unterminated last event is dropped, as EventSource does
      buffer += decoder.decode(value, { stream: true });
      if (firstChunk && buffer.startsWith("\uFEFF")) buffer = buffer.slice(1);
      firstChunk = false;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone `\r` at the end may be the first half of `\r\n`: wait for more.
        if (match === null || (match[0] === "\r" && match.index === buffer.length - 1)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === "") {
          if (data.length > 0) yield { id, event: event || "message", data: data.join("\n"), retry };
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id" && !value.includes("\0")) id = value;
        else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
      }
    }
  } finally {
    // Closes the connection when the caller stops early (a `break` in `for await`).
    await reader.cancel().catch(() => undefined);
  }
}
