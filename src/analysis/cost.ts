import { natProcessingPrice } from '../sim/aws-data.js';

/**
 * "NAT gateway data processing in us-east-1 costs $0.045 per GB, $46.08 a month for each TB (1,024 GB) a month …", or
 * a region-neutral sentence when the bundled pricing has no figure for the region. AWS bills data in GB of 2^30 bytes
 * and its TB is 1,024 GB.
 */
export function natCostSentence(region: string): string {
  const price = natProcessingPrice(region);
  if (!price) return `NAT gateway data processing is charged per GB in ${region} (rate not in the bundled pricing data; see https://aws.amazon.com/vpc/pricing/), while a gateway endpoint is free`;
  return `NAT gateway data processing in ${region} costs $${price.perGb} per GB, $${price.perTb.toFixed(2)} a month for each TB (1,024 GB) a month that takes this path (AWS VPC pricing, read ${price.read}), while a gateway endpoint is free`;
}
