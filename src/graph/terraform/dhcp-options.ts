import { isUnknown, unknown } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { Maybe, VpcDhcpOptions } from '../model.js';
import { associateDhcpOptions, DEFAULT_SET_SERVERS, markDhcpOptionsUnknown, nameServersOf } from '../nodes/dhcp-options.js';
import { vpcOf } from './network.js';
import { describe, sourceOf, type InstanceIndex } from './refs.js';

/**
 * The DHCP options set of each VPC: `aws_vpc_dhcp_options_association` naming an `aws_vpc_dhcp_options` (its
 * `domain_name_servers`) or the region's default set (`aws_default_vpc_dhcp_options`, always AmazonProvidedDNS). An
 * association whose set is not in the configuration (a literal id, `default` for no set at all) leaves it Unknown.
 */
export function addDhcpOptions(graph: Graph, index: InstanceIndex): void {
  if (graph.isUncertain('aws_vpc_dhcp_options_association')) {
    markDhcpOptionsUnknown(graph, 'aws_vpc_dhcp_options_association resources of unknown number may change the DHCP options of the VPC');
    return;
  }
  for (const a of index.ofType('aws_vpc_dhcp_options_association')) {
    const id = a.values['dhcp_options_id'];
    const target = index.target(id)?.instance;
    let options: Maybe<VpcDhcpOptions>;
    if (target?.type === 'aws_vpc_dhcp_options') {
      options = {
        address: target.address,
        source: sourceOf(target),
        association: sourceOf(a),
        domainNameServers: nameServersOf(target.values['domain_name_servers'], describe),
      };
    } else if (target?.type === 'aws_default_vpc_dhcp_options') {
      options = { address: target.address, source: sourceOf(target), association: sourceOf(a), domainNameServers: [...DEFAULT_SET_SERVERS] };
    } else if (isUnknown(id)) {
      options = unknown(`the DHCP options set ${a.address} associates is not known (${id.reason})`);
    } else {
      options = unknown(`${a.address} associates DHCP options ${describe(id)}, which the configuration does not show`);
    }
    associateDhcpOptions(graph, vpcOf(index, a.values['vpc_id']), options);
  }
}
