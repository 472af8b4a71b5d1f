import { natProcessingPrice } from '../sim/aws-data.js';

/** "NAT gateway data processing in us-east-1 costs $0.045 per GB ($46.08 per TB)", or a region-neutral sentence. */
export function natCostSentence(region: string): string {
  const price = natProcessingPrice(region);
  if (!price) return `NAT gateway data processing is charged per GB in ${region} (see https://aws.amazon.com/vpc/pricing/)`;
  const perTb = (price.perGb * 1024).toFixed(2);
  return `NAT gateway data processing in ${region} costs $${price.perGb} per GB ($${perTb} per TB), while a gateway endpoint is free`;
}
