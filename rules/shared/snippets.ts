import type { SourceSyntax } from '../../src/graph/graph.js';
import type { RouteTableNode, VpcNode, VpcEndpointNode } from '../../src/graph/model.js';

/**
 * Fix snippets in the configuration's own language (`Graph.syntax`): HCL for Terraform (plans included, even when the
 * finding points into the plan JSON), YAML or JSON for a template as it is written, TypeScript for a CDK app.
 */

export const isMainTable = (table: RouteTableNode, vpc: VpcNode) => table.id === `${vpc.id} (main route table)`;
const MAIN_TABLE_NOTE = 'the main route table cannot be referenced: create an AWS::EC2::RouteTable and associate the subnets with it';
/** CloudFormation cannot name a VPC's main route table: the subnets need a table of their own. */
const cfnTableName = (table: RouteTableNode, vpc: VpcNode) => (isMainTable(table, vpc) ? `RouteTableFor${vpc.source.address}` : table.source.address);
const jsonRef = (name: string) => `{ "Ref": ${JSON.stringify(name)} }`;

/** The Terraform expression for a route table's id. */
export function terraformTableId(table: RouteTableNode, vpc: VpcNode): string {
  return isMainTable(table, vpc) ? `${vpc.source.address}.main_route_table_id` : `${table.source.address}.id`;
}

/** The YAML reference to a route table, with the main-table caveat as a comment. */
function yamlTableRef(table: RouteTableNode, vpc: VpcNode): string {
  return `!Ref ${cfnTableName(table, vpc)}${isMainTable(table, vpc) ? `  # ${MAIN_TABLE_NOTE}` : ''}`;
}

const CDK_SERVICES: Record<string, string> = { s3: 'S3', dynamodb: 'DYNAMODB' };
export const serviceLabel = (service: string) => (service === 's3' ? 'S3' : 'DynamoDB');

/**
 * CDK's `addGatewayEndpoint` associates the endpoint with every subnet's route table unless `subnets` narrows it.
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.GatewayVpcEndpointOptions.html (subnets: "Default: All subnets in the VPC")
 */
function cdkGatewayEndpoint(service: string, comment?: string): string {
  return [
    `vpc.addGatewayEndpoint('${serviceLabel(service)}', {`,
    `  service: ec2.GatewayVpcEndpointAwsService.${CDK_SERVICES[service] ?? service.toUpperCase()},`,
    ...(comment ? [`  // ${comment}`] : []),
    `});`,
  ].join('\n');
}

export function gatewayEndpointSnippet(syntax: SourceSyntax, service: string, region: string, vpc: VpcNode, tables: RouteTableNode[]): string {
  const name = `${serviceLabel(service)}GatewayEndpoint`;
  switch (syntax) {
    case 'terraform':
      return [
        `resource "aws_vpc_endpoint" "${service}" {`,
        `  vpc_id            = ${vpc.source.address}.id`,
        `  service_name      = "com.amazonaws.${region}.${service}"`,
        `  vpc_endpoint_type = "Gateway"`,
        `  route_table_ids   = [${tables.map((t) => terraformTableId(t, vpc)).join(', ')}]`,
        `}`,
      ].join('\n');
    case 'cdk':
      return cdkGatewayEndpoint(service);
    case 'cloudformation-json': {
      const entry = {
        [name]: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { Ref: vpc.source.address },
            ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` },
            VpcEndpointType: 'Gateway',
            RouteTableIds: tables.map((t) => ({ Ref: cfnTableName(t, vpc) })),
          },
        },
      };
      const text = JSON.stringify(entry, null, 2)
        .replace(/\{\n\s*("(?:Ref|Fn::Sub)": "[^"]*")\n\s*\}/g, '{ $1 }')
        .split('\n')
        .slice(1, -1)
        .map((l) => l.slice(2))
        .join('\n');
      return tables.some((t) => isMainTable(t, vpc)) ? `// ${MAIN_TABLE_NOTE}\n${text}` : text;
    }
    case 'cloudformation-yaml':
      return [
        `${name}:`,
        `  Type: AWS::EC2::VPCEndpoint`,
        `  Properties:`,
        `    VpcId: !Ref ${vpc.source.address}`,
        `    ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}`,
        `    VpcEndpointType: Gateway`,
        `    RouteTableIds:`,
        ...tables.map((t) => `      - ${yamlTableRef(t, vpc)}`),
      ].join('\n');
  }
}

export function associateSnippet(syntax: SourceSyntax, service: string, endpoint: VpcEndpointNode, table: RouteTableNode, vpc: VpcNode): string {
  switch (syntax) {
    case 'terraform':
      return [
        `resource "aws_vpc_endpoint_route_table_association" "${associationName(endpoint.source.address, table.source.address)}" {`,
        `  vpc_endpoint_id = ${endpoint.source.address}.id`,
        `  route_table_id  = ${terraformTableId(table, vpc)}`,
        `}`,
      ].join('\n');
    case 'cdk':
      return cdkGatewayEndpoint(service, 'no `subnets`: every subnet of the VPC');
    case 'cloudformation-json':
      return `// add to ${endpoint.source.address} Properties.RouteTableIds:\n${jsonRef(cfnTableName(table, vpc))}`;
    case 'cloudformation-yaml':
      return `# add to ${endpoint.source.address} Properties.RouteTableIds:\n- ${yamlTableRef(table, vpc)}`;
  }
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
