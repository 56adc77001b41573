/**
 * Lines of a text stream, pulled on demand: nothing is read until the
 * consumer asks, so no line is lost while it awaits something else (as
 * readline's 'line' events can be), and memory holds one chunk.
 */
export async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest;
}
