/**
 * Characters XML 1.0 allows in a document (§2.2, production [2] `Char`): tab, newline, carriage return, and the
 * Unicode scalar values from U+0020 except U+FFFE and U+FFFF. Other control characters cannot be written even as
 * character references (§4.1 well-formedness constraint "Legal Character"), and a lone surrogate is not a character.
 * https://www.w3.org/TR/xml/#charsets
 */
// Matching control characters and lone surrogates is the point here.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text a scanned file controls, made safe for XML: forbidden characters become U+FFFD, markup characters references. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An attribute value (to be written between double quotes). Tab, newline and carriage return are written as
 * character references: a parser normalizes them to spaces when they appear literally in an attribute (§3.3.3).
 */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
