import { natProcessingPrice } from '../../src/facts/aws-data.js';

/**
 * "NAT gateway data processing in us-east-1 costs $0.045 per GB, $46.08 a month for each TB (1,024 GB) a month …", or
 * a region-neutral sentence when the bundled pricing has no figure for the region. AWS bills data in GB of 2^30 bytes
 * and its TB is 1,024 GB.
 */
export function natCostSentence(region: string, versus = 'a gateway endpoint is free'): string {
  const price = natProcessingPrice(region);
  if (!price)
    return `NAT gateway data processing is charged per GB in ${region} (rate not in the bundled pricing data; see https://aws.amazon.com/vpc/pricing/), while ${versus}`;
  return `NAT gateway data processing in ${region} costs $${price.perGb} per GB, $${price.perTb.toFixed(2)} a month for each TB (1,024 GB) a month that takes this path (AWS VPC pricing, read ${price.read}), while ${versus}`;
}

/**
 * For a template deployed to any region: the range of NAT data processing rates over the regions the finding holds
 * in, from the bundled pricing data.
 */
export function natCostSentenceForRegions(regions: string[], evaluated: number, limited = false, versus = 'a gateway endpoint is free'): string {
  if (regions.length === 1 && evaluated === 1) return natCostSentence(regions[0]!, versus);
  const pool = limited ? 'regions of the bundled data the template can be deployed to' : 'regions of the bundled data';
  const named = regions.length <= 8 ? regions.join(', ') : `${regions.slice(0, 8).join(', ')} and ${regions.length - 8} more`;
  const where = regions.length === evaluated ? `in every one of the ${evaluated} ${pool}` : `in ${regions.length} of the ${evaluated} ${pool} (${named})`;
  const prices = regions.map(natProcessingPrice).filter((p): p is NonNullable<typeof p> => p !== undefined);
  if (prices.length === 0)
    return `This holds ${where}${limited ? '' : ', wherever the template is deployed'}; NAT gateway data processing is charged per GB (see https://aws.amazon.com/vpc/pricing/), while ${versus}`;
  const perGb = prices.map((p) => p.perGb);
  const perTb = prices.map((p) => p.perTb);
  const lo = Math.min(...perGb);
  const hi = Math.max(...perGb);
  const rate =
    lo === hi
      ? `$${lo} per GB ($${Math.min(...perTb).toFixed(2)} a month for each TB (1,024 GB) a month)`
      : `$${lo} to $${hi} per GB ($${Math.min(...perTb).toFixed(2)} to $${Math.max(...perTb).toFixed(2)} a month for each TB (1,024 GB) a month)`;
  return `This holds ${where}${limited ? '' : ', wherever the template is deployed'}; NAT gateway data processing costs ${rate} in the ${prices.length} of them with a rate in the bundled pricing data (AWS VPC pricing, read ${prices[0]!.read}), while ${versus}`;
}
