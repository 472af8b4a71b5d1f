import { unknown, type Value } from '../../../source/value.js';
import type { ConfigResource, PlanDocument } from './document.js';
import type { Json } from '../../../source/json-tree.js';
import { asExpression, distinctReferences } from './references.js';

const FROM_ENVIRONMENT = 'the provider region comes from the environment (use --region)';

/**
 * The region of a resource instance: its own `region` argument when the provider has one (AWS provider 6 plans a
 * per-resource region), else the region of the provider configuration the resource uses (`provider_config_key`),
 * written as a constant or as a root variable whose value the plan records; else `--region`; else Unknown.
 */
export function regionOf(values: { [key: string]: Json }, config: ConfigResource | undefined, doc: PlanDocument, fallback: string | undefined): Value {
  const own = values['region'];
  if (typeof own === 'string' && own !== '') return own;
  const key = config?.providerConfigKey;
  const provider = key !== undefined ? doc.providers.get(key) : undefined;
  if (!provider) return fallback ?? unknown(config ? FROM_ENVIRONMENT : 'the plan does not say which provider configuration this resource uses');
  const expr = asExpression(provider.expressions['region']);
  if (!expr) return fallback ?? unknown(FROM_ENVIRONMENT);
  if (expr.hasConstant)
    return typeof expr.constant === 'string' && expr.constant !== '' ? expr.constant : (fallback ?? unknown('the provider region is not a string'));
  const refs = distinctReferences(expr.references);
  const only = refs.length === 1 ? refs[0]!.subject : undefined;
  if (only?.kind === 'var' && only.rest.length === 0 && provider.moduleAddress === undefined) {
    const v = doc.variables.get(only.name);
    if (typeof v === 'string' && v !== '') return v;
  }
  return fallback ?? unknown(`the provider region comes from ${refs.map((r) => r.text).join(', ') || 'an expression'}`);
}
