import { describe, expect, it } from 'vitest';
import { logicalIdOf, makeUniqueId } from './helpers/unique-id.js';

// Logical ids as `cdk synth` wrote them in published assemblies (aws-cdk integ snapshots and public CDK apps).
describe('makeUniqueId, the test helper the committed assemblies are checked with', () => {
  it.each([
    ['MyVpc/Resource', 'MyVpcF9F0CA6F'],
    ['MyVpc/PublicSubnet1/Subnet', 'MyVpcPublicSubnet1SubnetF6608456'],
    ['MyVpc/PublicSubnet1/NATGateway', 'MyVpcPublicSubnet1NATGatewayAD3400C1'],
    ['MyVpc/IGW', 'MyVpcIGW5C4A4F63'],
    ['MyVpc/S3/Resource', 'MyVpcS3FADC1889'],
    ['MyVpc/EcrDockerEndpoint/SecurityGroup/Resource', 'MyVpcEcrDockerEndpointSecurityGroup47BB9CC1'],
    ['WHlambda/ServiceRole/DefaultPolicy/Resource', 'WHlambdaServiceRoleDefaultPolicyF7DA3D6C'],
    ['itemsddbInitData/Resource/Default', 'itemsddbInitDataA4760179'],
    ['AuctionQ/AuctionStackAuctionTopic24003557/Resource', 'AuctionQAuctionStackAuctionTopic2400355787F8F8C7'],
    ['WebHealthAlarms/22119278@student.westernsydney.edu.au/Resource', 'WebHealthAlarms22119278studentwesternsydneyeduau2C93EE16'],
    ['BootstrapVersion', 'BootstrapVersion'],
    ['SNS Topic ARN', 'SNSTopicARN'],
  ])('%s → %s', (relativePath, logicalId) => {
    expect(makeUniqueId(relativePath.split('/'))).toBe(logicalId);
  });

  it('names the artifact of a stack inside a stage after its full path', () => {
    expect(makeUniqueId(['ThomasStack', 'Beta', 'BetaWebHealth'])).toBe('ThomasStackBetaBetaWebHealthE02DC75A');
  });

  it('gives the unique id a Lambda function puts in its security group description', () => {
    expect(makeUniqueId(['aws-cdk-vpc-lambda', 'MyLambda'])).toBe('awscdkvpclambdaMyLambda057789B0');
  });

  it('takes resource paths relative to their stack', () => {
    expect(logicalIdOf('aws-cdk-ec2-vpc-endpoint/MyVpc/Resource', 'aws-cdk-ec2-vpc-endpoint')).toBe('MyVpcF9F0CA6F');
    expect(() => logicalIdOf('Other/Vpc/Resource', 'NetworkStack')).toThrow();
  });
});
