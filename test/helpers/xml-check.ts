/**
 * A small well-formedness check for the XML the reporters write (no XML parser is a dependency): every tag closes in
 * order, attributes are quoted and unique, every `&` starts a known or numeric reference to a character XML 1.0
 * allows, and no character outside XML 1.0's `Char` production appears. Returns the problems, empty when well formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
  if (bad) problems.push(`forbidden character U+${bad[0].codePointAt(0)!.toString(16)} at ${bad.index}`);
  for (const m of xml.matchAll(/&([^;]*);?/g)) {
    const ref = m[1]!;
    const ok = ['amp', 'lt', 'gt', 'quot', 'apos'].includes(ref) || /^#(\d+|x[0-9a-fA-F]+)$/.test(ref);
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? parseInt(ref.slice(1), 10) : 0x20;
    if (!ok || !m[0].endsWith(';') || (code < 0x20 && ![9, 10, 13].includes(code))) problems.push(`bad reference ${m[0]}`);
  }
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<[^>]*>|[^<]+/g)) {
    const token = m[0];
    if (!token.startsWith('<')) {
      if (token.includes('>')) problems.push('unescaped > in text');
      if (stack.length === 0 && token.trim() !== '') problems.push('text outside the root element');
      continue;
    }
    const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!tag) {
      problems.push(`malformed tag ${token.slice(0, 80)}`);
      continue;
    }
    const names = [...tag[3]!.matchAll(/([A-Za-z_][\w.-]*)=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in ${token.slice(0, 80)}`);
    if (tag[1]) {
      if (stack.pop() !== tag[2]) problems.push(`</${tag[2]}> closes nothing open`);
      if (stack.length === 0 && body.slice(m.index + token.length).trim() !== '') problems.push('content after the root element');
    } else if (!tag[4]) stack.push(tag[2]!);
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
}
