import type { RouteTableNode, VpcNode, VpcEndpointNode } from '../graph/model.js';

const isTerraform = (file: string) => /\.tf(\.json)?$/.test(file);

/** The reference expression for a node's id in its own language (`aws_vpc.main.id`, `!Ref Vpc`). */
export function idExpression(node: { id: string; source: { file: string; address: string } }, main?: { vpc: VpcNode }): string {
  if (isTerraform(node.source.file)) {
    if (main) return `${main.vpc.source.address}.main_route_table_id`;
    return `${node.source.address}.id`;
  }
  // CloudFormation cannot name a VPC's main route table: the subnets need a table of their own.
  if (main) return `!Ref RouteTableFor${main.vpc.source.address}  # the main route table cannot be referenced: create an AWS::EC2::RouteTable and associate the subnets with it`;
  return `!Ref ${node.source.address}`;
}

export function gatewayEndpointSnippet(service: string, region: string, vpc: VpcNode, tables: RouteTableNode[]): string {
  const ids = tables.map((t) => idExpression(t, t.id === `${vpc.id} (main route table)` ? { vpc } : undefined));
  if (isTerraform(vpc.source.file)) {
    return [
      `resource "aws_vpc_endpoint" "${service}" {`,
      `  vpc_id            = ${vpc.source.address}.id`,
      `  service_name      = "com.amazonaws.${region}.${service}"`,
      `  vpc_endpoint_type = "Gateway"`,
      `  route_table_ids   = [${ids.join(', ')}]`,
      `}`,
    ].join('\n');
  }
  return [
    `${service === 's3' ? 'S3' : 'DynamoDB'}GatewayEndpoint:`,
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
  if (isTerraform(endpoint.source.file)) {
    return [
      `resource "aws_vpc_endpoint_route_table_association" "${associationName(endpoint.source.address, table.source.address)}" {`,
      `  vpc_endpoint_id = ${endpoint.source.address}.id`,
      `  route_table_id  = ${id}`,
      `}`,
    ].join('\n');
  }
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
