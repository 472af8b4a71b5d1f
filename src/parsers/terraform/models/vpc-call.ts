import { isUnknown, type Value } from '../../../source/value.js';
import { and, gt, InstanceSink, len, max, pick, toBool, toList, type Maybe, type ModelContext } from './common.js';
import { defaultOf, SUBNET_TYPES, type SubnetType } from './vpc-inputs.js';

/**
 * One call of the VPC module as every part of the model reads it: its inputs, with the defaults of the modelled major,
 * and the counts main.tf derives from them (subnets per tier, NAT gateways, route tables) that several parts share.
 * The constructor reads these inputs before any resource is built; an input's first evaluation may report a diagnostic,
 * so the order of reads is part of the output.
 */
export class VpcCall {
  readonly major: number;
  /** 4.0 brought the layout majors 4 to 6 share; 3.x differs where the model's header says. */
  readonly v4: boolean;
  readonly sink: InstanceSink;
  readonly createVpc: Maybe<boolean>;
  readonly azs: Maybe<Value[]>;
  readonly subnets: Record<SubnetType, Maybe<Value[]>>;
  /** `local.len_*`: subnets of a tier, counting IPv6 prefixes from 4.0 on. */
  readonly lengths: Record<SubnetType, Maybe<number>>;
  readonly maxSubnetLength: Maybe<number>;
  /** Whether the subnets of a tier are created. */
  readonly create: Record<SubnetType, Maybe<boolean>>;
  readonly single: Maybe<boolean>;
  readonly perAz: Maybe<boolean>;
  readonly enableNat: Maybe<boolean>;
  readonly enableIpv6: Maybe<boolean>;
  readonly createIgw: Maybe<boolean>;
  readonly createEigw: Maybe<boolean>;
  readonly natGatewayCount: Maybe<number>;
  readonly multiplePublic: Maybe<boolean>;
  readonly multipleIntra: Maybe<boolean>;
  readonly numPublicRouteTables: Maybe<number>;
  readonly numIntraRouteTables: Maybe<number>;

  constructor(readonly ctx: ModelContext) {
    const major = ctx.major;
    const v4 = major >= 4;
    this.major = major;
    this.v4 = v4;
    const regionInput = major >= 6 ? this.raw('region') : null;
    const region: Value = typeof regionInput === 'string' || isUnknown(regionInput) ? regionInput : ctx.region;
    this.sink = new InstanceSink(ctx, region);

    const createVpc = and(this.bool('create_vpc'), this.bool('putin_khuylo'));
    this.createVpc = createVpc;
    this.azs = this.list('azs');
    const subnets = Object.fromEntries(SUBNET_TYPES.map((t) => [t, this.list(`${t}_subnets`)])) as Record<SubnetType, Maybe<Value[]>>;
    this.subnets = subnets;
    const lengths = Object.fromEntries(
      SUBNET_TYPES.map((t) => [t, v4 ? max(len(subnets[t]), len(this.list(`${t}_subnet_ipv6_prefixes`))) : len(subnets[t])]),
    ) as Record<SubnetType, Maybe<number>>;
    this.lengths = lengths;
    this.maxSubnetLength = v4
      ? max(lengths.private, lengths.public, lengths.elasticache, lengths.database, lengths.redshift)
      : max(lengths.private, lengths.elasticache, lengths.database, lengths.redshift);
    this.create = Object.fromEntries(SUBNET_TYPES.map((t) => [t, and(createVpc, gt(lengths[t], 0))])) as Record<SubnetType, Maybe<boolean>>;

    this.single = this.bool('single_nat_gateway');
    this.perAz = this.bool('one_nat_gateway_per_az');
    this.enableNat = this.bool('enable_nat_gateway');
    this.enableIpv6 = this.bool('enable_ipv6');
    this.createIgw = this.bool('create_igw');
    this.createEigw = this.bool('create_egress_only_igw');
    this.natGatewayCount = pick(this.single, 1, pick(this.perAz, len(this.azs), this.maxSubnetLength));
    this.multiplePublic = v4 ? this.bool('create_multiple_public_route_tables') : false;
    this.multipleIntra = v4 ? this.bool('create_multiple_intra_route_tables') : false;
    this.numPublicRouteTables = pick(this.multiplePublic, lengths.public, 1);
    this.numIntraRouteTables = pick(this.multipleIntra, lengths.intra, 1);
  }

  /** An input as given, or its default when the call does not set it or sets it to null. */
  raw(name: string): Value {
    const given = this.ctx.input(name);
    return given === undefined || given === null ? defaultOf(name, this.ctx.major) : given;
  }

  bool(name: string): Maybe<boolean> {
    return toBool(this.ctx.input(name), defaultOf(name, this.ctx.major) as Maybe<boolean>, name);
  }

  list(name: string): Maybe<Value[]> {
    return toList(this.ctx.input(name), defaultOf(name, this.ctx.major) as Maybe<Value[]>, name);
  }
}
