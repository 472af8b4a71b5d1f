import type { Graph } from '../graph/graph.js';
import type { InterfaceEndpointInfo } from '../source/findings.js';
import { isSymbolicRegion } from '../source/region.js';
import { isUnknown } from '../source/value.js';

/**
 * The interface endpoints the scanned configurations declare, for the standing cost reports show. AWS bills an
 * interface endpoint "for each hour that your VPC endpoint remains provisioned in each Availability Zone"
 * (https://aws.amazon.com/privatelink/pricing/), and an endpoint takes at most one subnet per Availability Zone
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html), so its subnets count its AZs.
 * Adds those of `graphs` to `out`, keyed by where they are declared (each once).
 */
export function addInterfaceEndpoints(out: Map<string, InterfaceEndpointInfo>, graphs: readonly Graph[]): void {
  addInterfaceEndpointInfos(out, interfaceEndpointsOf(graphs));
}

/** The interface endpoints of `graphs`, in order: what `addInterfaceEndpoints` adds (the result cache keeps them). */
export function interfaceEndpointsOf(graphs: readonly Graph[]): InterfaceEndpointInfo[] {
  const infos: InterfaceEndpointInfo[] = [];
  for (const graph of graphs) {
    for (const ep of graph.view().all('vpc-endpoint')) {
      if (ep.type !== 'Interface') continue;
      const region = typeof ep.region === 'string' && !isUnknown(ep.region) && !isSymbolicRegion(ep.region) ? ep.region : undefined;
      infos.push({
        at: ep.source,
        service: ep.service?.service,
        region,
        azs: ep.subnets.length + ep.externalSubnets.length,
        azsIncomplete: ep.subnetsIncomplete,
      });
    }
  }
  return infos;
}

/** Adds interface endpoints to `out`, keyed by where they are declared (each once, the first kept). */
export function addInterfaceEndpointInfos(out: Map<string, InterfaceEndpointInfo>, infos: readonly InterfaceEndpointInfo[]): void {
  for (const info of infos) {
    const key = `${info.at.file}|${info.at.span.start.line}|${info.at.address}`;
    if (!out.has(key)) out.set(key, info);
  }
}
