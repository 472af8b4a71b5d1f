import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

type AjvClass = typeof AjvDraft04.default;
type AddFormats = typeof addFormats.default;
type ValidateFunction = ReturnType<InstanceType<AjvClass>['compile']>;

// The published OASIS schema is draft-04 (see test/schemas/README.md), which plain `ajv` no longer reads.
const SCHEMA_PATH = fileURLToPath(new URL('../schemas/sarif-schema-2.1.0.json', import.meta.url));

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // Both packages are CommonJS; depending on the loader the class arrives as the module or as its `default`.
  const Ajv = (AjvDraft04 as unknown as { default?: AjvClass }).default ?? (AjvDraft04 as unknown as AjvClass);
  const formats = (addFormats as unknown as { default?: AddFormats }).default ?? (addFormats as unknown as AddFormats);
  // strict: false because the OASIS schema uses keywords and formats Ajv's strict mode rejects.
  const ajv = new Ajv({ strict: false, allErrors: true });
  formats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  compiled = validate;
  return validate;
}

/** Validates a SARIF log against the OASIS SARIF 2.1.0 schema; returns one line per error, empty when valid. */
export function validateSarif(log: unknown): string[] {
  const validate = validator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}
