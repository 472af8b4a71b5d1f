import { isUnknown, type Value, type ValueObject } from '../../../source/value.js';

/**
 * Resource types whose `region` argument, before AWS provider 6, named something other than where the resource lives
 * (the Region a stack set instance deploys to, the Region an aggregator is authorized for); provider 6 renamed those
 * arguments, so a `region` on them is not read as the resource's own Region.
 */
const REGION_MEANT_OTHERWISE = new Set(['aws_cloudformation_stack_set_instance', 'aws_config_aggregate_authorization']);

/**
 * The Region a resource or data source instance lives in. AWS provider 6 gives every regional resource a `region`
 * argument that overrides its provider configuration's Region
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/enhanced-region-support): a `region`
 * written on the instance wins, an Unknown one stays Unknown (never the provider's as a guess), and without one the
 * provider's Region applies.
 */
export function ownRegion(type: string, values: ValueObject, providerRegion: () => Value): Value {
  const own = type.startsWith('aws_') && !REGION_MEANT_OTHERWISE.has(type) ? values['region'] : undefined;
  if (typeof own === 'string' && own !== '') return own;
  if (isUnknown(own)) return own;
  return providerRegion();
}
