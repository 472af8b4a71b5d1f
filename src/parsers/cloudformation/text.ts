import { decodeSourceText, type DecodedText } from '../../source/text.js';
import { INPUT_SIZE_LIMITS } from '../../source/fs-policy.js';

export { PositionIndex, type DecodedText } from '../../source/text.js';

/** Templates above this size are not parsed. CloudFormation accepts at most 1 MB from S3; anything larger is not a template. */
export const MAX_TEMPLATE_BYTES = INPUT_SIZE_LIMITS.template;

/** Deepest nesting of mappings and sequences a template may have; real templates stay under twenty levels. */
export const MAX_NESTING = 100;

/** Most nodes that YAML aliases may add by expansion, so that an alias bomb ends in a diagnostic instead of a hang. */
export const MAX_ALIAS_NODES = 100_000;

/** How many YAML aliases one document may hold. */
export const MAX_ALIAS_COUNT = 10_000;

/** How many YAML nodes one template may hold, counted on the text; large real templates hold tens of thousands. */
export const MAX_YAML_NODES = 250_000;

/**
 * Turns what was read into text, refusing what no template can be: too large, binary, not UTF-8. A string that
 * holds U+FFFD was decoded leniently from invalid bytes by the caller; it is refused too.
 */
export function decodeTemplateText(file: string, input: string | Uint8Array): DecodedText {
  return decodeSourceText(file, input, { maxBytes: MAX_TEMPLATE_BYTES, codePrefix: 'cfn', noun: 'Template', refuseReplacementCharacter: true });
}
