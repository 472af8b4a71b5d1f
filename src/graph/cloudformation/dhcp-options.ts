import { isUnknown, unknown } from '../../source/value.js';
import type { Maybe, VpcDhcpOptions } from '../model.js';
import { associateDhcpOptions, nameServersOf } from '../nodes/dhcp-options.js';
import { conditionOf, describe, type CfnContext } from './context.js';

/**
 * The DHCP options set of each VPC: `AWS::EC2::VPCDHCPOptionsAssociation` naming an `AWS::EC2::DHCPOptions` (its
 * `DomainNameServers`). A set the template does not define, or an association or set under a Condition that cannot
 * be decided, leaves it Unknown.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcdhcpoptionsassociation.html
 */
export function addDhcpOptions(ctx: CfnContext): void {
  for (const a of ctx.ofType('AWS::EC2::VPCDHCPOptionsAssociation')) {
    const id = a.properties['DhcpOptionsId'];
    const set = ctx.target(id);
    let options: Maybe<VpcDhcpOptions>;
    if (a.exists !== true) options = unknown(conditionOf(a));
    else if (set?.type === 'AWS::EC2::DHCPOptions' && set.exists !== true) options = unknown(conditionOf(set));
    else if (set?.type === 'AWS::EC2::DHCPOptions') {
      options = {
        address: set.logicalId,
        source: ctx.sourceOf(set),
        association: ctx.sourceOf(a),
        domainNameServers: nameServersOf(set.properties['DomainNameServers'], describe),
      };
    } else if (isUnknown(id)) options = unknown(`the DHCP options set ${a.logicalId} associates is not known (${id.reason})`);
    else options = unknown(`${a.logicalId} associates DHCP options ${id === undefined ? '(not set)' : describe(id)}, which the template does not define`);
    associateDhcpOptions(ctx.graph, ctx.vpcOf(a.properties['VpcId']), options);
  }
}
