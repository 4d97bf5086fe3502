/**
 * A small strict XML reader for the metadata documents recording formats embed (XDF stream headers and
 * footers): elements, text, the five predefined entities and numeric character references, comments,
 * CDATA, the `<?xml …?>` declaration. Attributes are read and kept; DTDs are refused. Enough for the XML
 * that liblsl and LabRecorder write (pugixml output), nothing more.
 */

/** One element: its name, attributes, child elements in order and its own text (children's excluded). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Thrown for malformed XML; `offset` is the character index in the document. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(`${problem} (at character ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (all, ref: string | undefined) => {
    if (ref === undefined) throw new XmlSyntaxError('a bare "&" in text', at);
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw new XmlSyntaxError(`bad character reference ${all}`, at);
      return String.fromCodePoint(code);
    }
    const value = entities[ref];
    if (value === undefined) throw new XmlSyntaxError(`unknown entity ${all}`, at);
    return value;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

/** Parses a whole document; exactly one root element. Throws {@link XmlSyntaxError}. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const skipSpace = (): void => {
    while (i < doc.length && /\s/.test(doc[i] ?? '')) i++;
  };
  const expectAt = (s: string): void => {
    if (!doc.startsWith(s, i)) throw new XmlSyntaxError(`expected "${s}"`, i);
    i += s.length;
  };
  const skipTo = (end: string, what: string): string => {
    const k = doc.indexOf(end, i);
    if (k < 0) throw new XmlSyntaxError(`unterminated ${what}`, i);
    const body = doc.slice(i, k);
    i = k + end.length;
    return body;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(doc);
    if (!m) throw new XmlSyntaxError('expected a name', i);
    i += m[0].length;
    return m[0];
  };
  /** Skips comments, processing instructions and space; refuses DTDs. */
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (doc.startsWith('<!--', i)) {
        i += 4;
        skipTo('-->', 'comment');
      } else if (doc.startsWith('<?', i)) {
        i += 2;
        skipTo('?>', 'processing instruction');
      } else if (doc.startsWith('<!', i)) throw new XmlSyntaxError('DTDs are not accepted', i);
      else return;
    }
  };
  const readElement = (depth: number): XmlElement => {
    if (depth > 64) throw new XmlSyntaxError('elements nested more than 64 deep', i);
    expectAt('<');
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (doc.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (doc[i] === '>') {
        i++;
        break;
      }
      const attr = readName();
      skipSpace();
      expectAt('=');
      skipSpace();
      const quote = doc[i];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('attribute value must be quoted', i);
      i++;
      const at = i;
      attributes[attr] = decodeEntities(skipTo(quote, 'attribute value'), at);
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= doc.length) throw new XmlSyntaxError(`element <${name}> is not closed`, i);
      if (doc.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) throw new XmlSyntaxError(`</${closing}> closes <${name}>`, i);
        skipSpace();
        expectAt('>');
        return { name, attributes, children, text: text.trim() };
      }
      if (doc.startsWith('<!--', i)) {
        i += 4;
        skipTo('-->', 'comment');
      } else if (doc.startsWith('<![CDATA[', i)) {
        i += 9;
        text += skipTo(']]>', 'CDATA section');
      } else if (doc.startsWith('<?', i)) {
        i += 2;
        skipTo('?>', 'processing instruction');
      } else if (doc[i] === '<') children.push(readElement(depth + 1));
      else {
        const k = doc.indexOf('<', i);
        const end = k < 0 ? doc.length : k;
        text += decodeEntities(doc.slice(i, end), i);
        i = end;
      }
    }
  };
  skipMisc();
  if (doc[i] !== '<') throw new XmlSyntaxError('no root element', i);
  const root = readElement(0);
  skipMisc();
  if (i < doc.length) throw new XmlSyntaxError('content after the root element', i);
  return root;
}

/** The first child named `name`, if any. */
export const xmlChild = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el?.children.find((c) => c.name === name);

/** The text of the element at `path` below `el` (e.g. `['desc', 'manufacturer']`), if it exists. */
export function xmlText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let cur = el;
  for (const p of path) cur = xmlChild(cur, p);
  return cur?.text;
}
