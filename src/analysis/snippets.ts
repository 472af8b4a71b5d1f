import type { RouteTableNode, VpcNode, VpcEndpointNode } from '../graph/model.js';

/**
 * Terraform addresses always hold a dot (`aws_vpc.main`); CloudFormation logical ids are alphanumeric. The address
 * decides, not the file: a plan whose `.tf` files are absent points into its JSON.
 */
const isTerraform = (source: { address: string }) => source.address.includes('.');
/** A CloudFormation template written in JSON (a CDK template too) gets JSON snippets. */
const isJsonTemplate = (source: { file: string; address: string }) => !isTerraform(source) && /\.json$/i.test(source.file);

/** The reference expression for a node's id in its own language (`aws_vpc.main.id`, `!Ref Vpc`). */
export function idExpression(node: { id: string; source: { file: string; address: string } }, main?: { vpc: VpcNode }): string {
  if (isTerraform(node.source)) {
    if (main) return `${main.vpc.source.address}.main_route_table_id`;
    return `${node.source.address}.id`;
  }
  // CloudFormation cannot name a VPC's main route table: the subnets need a table of their own.
  if (isJsonTemplate(node.source)) return `{ "Ref": ${JSON.stringify(main ? `RouteTableFor${main.vpc.source.address}` : node.source.address)} }`;
  if (main) return `!Ref RouteTableFor${main.vpc.source.address}  # the main route table cannot be referenced: create an AWS::EC2::RouteTable and associate the subnets with it`;
  return `!Ref ${node.source.address}`;
}

const MAIN_TABLE_NOTE = '// the main route table cannot be referenced: create an AWS::EC2::RouteTable and associate the subnets with it';

export function gatewayEndpointSnippet(service: string, region: string, vpc: VpcNode, tables: RouteTableNode[]): string {
  const ids = tables.map((t) => idExpression(t, t.id === `${vpc.id} (main route table)` ? { vpc } : undefined));
  if (isTerraform(vpc.source)) {
    return [
      `resource "aws_vpc_endpoint" "${service}" {`,
      `  vpc_id            = ${vpc.source.address}.id`,
      `  service_name      = "com.amazonaws.${region}.${service}"`,
      `  vpc_endpoint_type = "Gateway"`,
      `  route_table_ids   = [${ids.join(', ')}]`,
      `}`,
    ].join('\n');
  }
  const name = `${service === 's3' ? 'S3' : 'DynamoDB'}GatewayEndpoint`;
  if (isJsonTemplate(vpc.source)) {
    const entry = {
      [name]: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: vpc.source.address },
          ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` },
          VpcEndpointType: 'Gateway',
          RouteTableIds: ids.map((id) => JSON.parse(id) as unknown),
        },
      },
    };
    const text = JSON.stringify(entry, null, 2)
      .replace(/\{\n\s*("(?:Ref|Fn::Sub)": "[^"]*")\n\s*\}/g, '{ $1 }')
      .split('\n')
      .slice(1, -1)
      .map((l) => l.slice(2))
      .join('\n');
    return tables.some((t) => t.id === `${vpc.id} (main route table)`) ? `${MAIN_TABLE_NOTE}\n${text}` : text;
  }
  return [
    `${name}:`,
    `  Type: AWS::EC2::VPCEndpoint`,
    `  Properties:`,
    `    VpcId: !Ref ${vpc.source.address}`,
    `    ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}`,
    `    VpcEndpointType: Gateway`,
    `    RouteTableIds:`,
    ...ids.map((id) => `      - ${id}`),
  ].join('\n');
}

export function associateSnippet(endpoint: VpcEndpointNode, table: RouteTableNode, vpc: VpcNode): string {
  const id = idExpression(table, table.id === `${vpc.id} (main route table)` ? { vpc } : undefined);
  if (isTerraform(endpoint.source)) {
    return [
      `resource "aws_vpc_endpoint_route_table_association" "${associationName(endpoint.source.address, table.source.address)}" {`,
      `  vpc_endpoint_id = ${endpoint.source.address}.id`,
      `  route_table_id  = ${id}`,
      `}`,
    ].join('\n');
  }
  if (isJsonTemplate(endpoint.source)) return `// add to ${endpoint.source.address} Properties.RouteTableIds:\n${id}`;
  return `# add to ${endpoint.source.address} Properties.RouteTableIds:\n- ${id}`;
}

/** `aws_vpc_endpoint.s3` + `aws_route_table.app["us-east-1a"]` → `s3_app_us_east_1a`. */
function associationName(endpoint: string, table: string): string {
  const local = (address: string) => {
    const parts = address.replace(/^(module\.[^.]+\.)+/, '').split('.');
    return parts.slice(1).join('_');
  };
  return `${local(endpoint)}_${local(table)}`
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}
