import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * An input as the runner passes it to a JavaScript action: the environment variable `INPUT_<NAME>`, the name upper-cased
 * with spaces replaced by underscores (hyphens stay), empty when not given
 * (https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions#inputs).
 */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A list input: one item a line or separated by spaces or commas (`paths: infra stacks/app`). */
export function getList(env: NodeJS.ProcessEnv, name: string): string[] {
  return getInput(env, name)
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

/** A `Key=Value` list: one pair a line (values may hold spaces and commas). */
export function getPairs(env: NodeJS.ProcessEnv, name: string): string[] {
  return getInput(env, name)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** true/false inputs, as YAML 1.2's core schema spells them; anything else is a usage error. */
export function getBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean | string {
  const v = getInput(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  return `input ${name} must be true or false, got "${v}"`;
}

/**
 * Sets a step output through the file `$GITHUB_OUTPUT` names, in the multiline form `name<<DELIMITER`, value,
 * `DELIMITER` ("Workflow commands for GitHub Actions", "Setting an output parameter" and "Multiline strings"), with a
 * delimiter the value cannot contain.
 */
export function setOutput(env: NodeJS.ProcessEnv, name: string, value: string): void {
  const file = env['GITHUB_OUTPUT'];
  if (!file) return;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** Appends Markdown to the job summary (`$GITHUB_STEP_SUMMARY`); false when the runner gave no summary file. */
export function appendSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
