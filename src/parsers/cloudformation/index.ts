/**
 * CloudFormation (and SAM) templates, YAML or JSON: loaded with a source span on every resource and property, and
 * evaluated (parameters, conditions, mappings, intrinsic functions, pseudo parameters) into the values the graph
 * builder reads. What cannot be computed before deployment is Unknown, with the reason.
 */
export type { CfnOutput, CfnParameter, CfnResource, CfnTemplate, LoadOptions } from './types.js';
export { loadCloudFormation, TEMPLATE_SECTIONS } from './template.js';
export { isCloudFormationTemplate } from './detect.js';
export { MAX_TEMPLATE_BYTES, MAX_NESTING, MAX_ALIAS_NODES } from './text.js';
export { cidrBlocks } from './cidr.js';
