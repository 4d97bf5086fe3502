import { describe, expect, it } from 'vitest';
import { parseXml, xmlText, XmlSyntaxError } from '../../../src/io/import/xml-lite.js';

describe('xml-lite', () => {
  it('reads the XML liblsl writes: declaration, nesting, empty elements, entities, CDATA, comments', () => {
    const doc =
      '<?xml version="1.0"?>\n<!-- header -->\n<info a="1 &amp; 2">\n\t<name>EMG &lt;left&gt; &#181;V &#x3bc;</name>' +
      '<desc><channels><channel><label>TA</label></channel><channel><label/></channel></channels></desc>' +
      '<v4address /><note><![CDATA[a < b]]></note></info>';
    const root = parseXml(doc);
    expect(root.name).toBe('info');
    expect(root.attributes).toEqual({ a: '1 & 2' });
    expect(xmlText(root, 'name')).toBe('EMG <left> µV μ');
    expect(xmlText(root, 'desc', 'channels', 'channel', 'label')).toBe('TA');
    expect(root.children.find((c) => c.name === 'desc')?.children[0]?.children).toHaveLength(2);
    expect(xmlText(root, 'v4address')).toBe('');
    expect(xmlText(root, 'note')).toBe('a < b');
    expect(xmlText(root, 'missing')).toBeUndefined();
  });

  it.each([
    ['<info><a></info>', /<\/info> closes <a>/],
    ['<info>', /not closed/],
    ['<info/><more/>', /content after the root/],
    ['<!DOCTYPE x><info/>', /DTDs are not accepted/],
    ['<info>&bogus;</info>', /unknown entity/],
    ['<info>a & b</info>', /bare "&"/],
    ['', /no root element/],
  ])('refuses %j', (doc, message) => {
    expect(() => parseXml(doc)).toThrow(XmlSyntaxError);
    expect(() => parseXml(doc)).toThrow(message);
  });
});
