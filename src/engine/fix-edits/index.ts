import type { EditRequest, Finding, Fix, TextEdit } from '../../source/findings.js';
import { appendToTemplateList, insertAfterTemplateResource, removeFromTemplateList } from './cloudformation.js';
import { appendToHclList, insertAfterHclBlock, removeFromHclList } from './terraform.js';
import { setHclAttribute, setTemplateProperty } from './set-attribute.js';
import { SourceTexts } from './text.js';

export { SourceTexts } from './text.js';

const isTerraform = (file: string) => file.endsWith('.tf');
const isTemplate = (file: string) => /\.(ya?ml|json|template)$/i.test(file) && !file.endsWith('.tf.json');

function resolveRequest(texts: SourceTexts, r: EditRequest): TextEdit | undefined {
  switch (r.kind) {
    case 'append-to-list':
      if (isTerraform(r.list.file)) return appendToHclList(texts, r.list, r.item);
      return isTemplate(r.list.file) ? appendToTemplateList(texts, r.list, r.item) : undefined;
    case 'insert-after':
      if (isTerraform(r.after.file)) return insertAfterHclBlock(texts, r.after, r.text, r.name);
      return isTemplate(r.after.file) ? insertAfterTemplateResource(texts, r.after, r.text, r.name) : undefined;
    case 'remove-from-list':
      if (isTerraform(r.list.file)) return removeFromHclList(texts, r.list, r.item);
      return isTemplate(r.list.file) ? removeFromTemplateList(texts, r.list, r.item) : undefined;
    case 'set-attribute':
      if (isTerraform(r.resource.file)) return setHclAttribute(texts, r.resource, r.name, r.value);
      return isTemplate(r.resource.file) ? setTemplateProperty(texts, r.resource, r.name, r.value) : undefined;
  }
}

/**
 * A fix with its requests turned into exact edits: all of them, or none when one cannot be made certainly right (the
 * text is not the literal syntax the request assumes, the name a new resource takes is used). The requests are gone.
 */
export function resolveFix(texts: SourceTexts, fix: Fix): Fix {
  const { requests, ...rest } = fix;
  if (!requests || requests.length === 0) return rest;
  const edits: TextEdit[] = [];
  for (const r of requests) {
    const edit = resolveRequest(texts, r);
    if (!edit) return rest;
    edits.push(edit);
  }
  return { ...rest, edits };
}

/**
 * Every finding's fix with exact edits where the rule asked for them; files are read from the scan root (through
 * `texts` when given, so a scan reads each once). A fix already resolved stays as it is.
 */
export function resolveFixEdits(findings: Finding[], root: string, texts = new SourceTexts(root)): Finding[] {
  return findings.map((f) => (f.fix ? { ...f, fix: resolveFix(texts, f.fix) } : f));
}
