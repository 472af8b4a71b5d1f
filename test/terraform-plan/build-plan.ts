/** Small plans in the documented shape, for tests of one rule at a time. */

export interface TestResource {
  address: string;
  type: string;
  name: string;
  mode?: 'managed' | 'data';
  index?: number | string;
  module?: string;
  /** Known planned values. */
  values?: Record<string, unknown>;
  /** after_unknown. */
  unknown?: Record<string, unknown>;
}

export interface TestPlan {
  resources: TestResource[];
  configuration?: Record<string, unknown>;
  variables?: Record<string, unknown>;
}

export function planText(p: TestPlan): string {
  const root: { resources: unknown[]; child_modules?: unknown[] } = { resources: [] };
  const modules = new Map<string, unknown[]>();
  const changes: unknown[] = [];
  for (const r of p.resources) {
    const mode = r.mode ?? 'managed';
    const values = r.values ?? {};
    const entry = {
      address: r.address,
      mode,
      type: r.type,
      name: r.name,
      ...(r.index !== undefined ? { index: r.index } : {}),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      schema_version: 0,
      values,
      sensitive_values: {},
    };
    if (r.module) (modules.get(r.module) ?? modules.set(r.module, []).get(r.module)!).push(entry);
    else root.resources.push(entry);
    changes.push({
      address: r.address,
      ...(r.module ? { module_address: r.module } : {}),
      mode,
      type: r.type,
      name: r.name,
      ...(r.index !== undefined ? { index: r.index } : {}),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: ['create'], before: null, after: values, after_unknown: r.unknown ?? {}, before_sensitive: false, after_sensitive: {} },
    });
  }
  if (modules.size) root.child_modules = [...modules].map(([address, resources]) => ({ resources, address }));
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.5',
      ...(p.variables ? { variables: Object.fromEntries(Object.entries(p.variables).map(([k, v]) => [k, { value: v }])) } : {}),
      planned_values: { root_module: root },
      resource_changes: changes,
      configuration: p.configuration ?? { root_module: {} },
    },
    null,
    2,
  );
}

export const refs = (...r: string[]) => ({ references: r });
export const constant = (v: unknown) => ({ constant_value: v });
export const idOf = (x: string) => refs(`${x}.id`, x);

export function configResource(address: string, expressions: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const data = address.startsWith('data.');
  const [type, name] = (data ? address.slice(5) : address).split('.');
  return { address, mode: data ? 'data' : 'managed', type, name, provider_config_key: 'aws', expressions, schema_version: 0, ...extra };
}
