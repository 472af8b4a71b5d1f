import { beforeAll, describe, expect, it } from 'vitest';
import { cfnGraph, normalise, tfGraph } from './helpers.js';
import { BUCKET_POLICY, CLOUDFORMATION, POLICY, S3_POLICY, TERRAFORM } from './network.js';

type Normalised = ReturnType<typeof normalise>;

describe('the same network in Terraform and in CloudFormation', () => {
  let tf: Normalised;
  let cfn: Normalised;
  beforeAll(async () => {
    const t = await tfGraph(TERRAFORM);
    const c = cfnGraph(CLOUDFORMATION);
    expect(t.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    expect(c.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    tf = normalise(t.graph);
    cfn = normalise(c.graph);
  });

  it.each(['securityGroups', 'networkAcls', 'subnetAcls', 'endpoints', 'loadBalancers', 'endpointServices', 'bucketPolicies', 'workloads'] as const)(
    'gives equivalent %s',
    (key) => {
      expect(tf[key].length).toBeGreaterThan(0);
      expect(tf[key]).toEqual(cfn[key]);
    },
  );

  it('reads security groups: inline and separate rules, peers of every kind, and the VPC default group', () => {
    expect(cfn.securityGroups).toEqual([
      {
        id: 'app',
        vpc: 'main',
        default: false,
        incomplete: false,
        rules: ['egress tcp 443-443 pl:com.amazonaws.us-east-1.s3', 'egress tcp 443-443 sg:endpoints', 'ingress -1 0-65535 self'],
      },
      { id: 'endpoints', vpc: 'main', default: false, incomplete: false, rules: ['egress -1 0-65535 0.0.0.0/0', 'ingress tcp 443-443 10.0.0.0/16'] },
      {
        id: 'main (default security group)',
        vpc: 'main',
        default: true,
        incomplete: false,
        rules: ['egress -1 0-65535 0.0.0.0/0 (aws default)', 'ingress -1 0-65535 self (aws default)'],
      },
    ]);
  });

  it('reads network ACLs: entries, associations, and the default ACL of subnets without one', () => {
    expect(tf.networkAcls.map((a) => [a.id, a.default, a.subnets, a.entries])).toEqual([
      ['main (default network ACL)', true, [], ['egress #100 allow -1 0-65535 0.0.0.0/0', 'ingress #100 allow -1 0-65535 0.0.0.0/0']],
      [
        'private',
        false,
        ['appa'],
        ['egress #100 allow -1 0-65535 0.0.0.0/0', 'ingress #100 allow tcp 443-443 10.0.0.0/16', 'ingress #200 allow tcp 1024-65535 0.0.0.0/0'],
      ],
    ]);
    expect(tf.subnetAcls).toEqual(['appa -> private', 'appb -> main (default network ACL)']);
  });

  it('reads endpoint subnets, groups (the VPC default group when none is given) and policies', () => {
    expect(tf.endpoints.map((e) => [e.id, e.subnets, e.securityGroups, e.defaultSecurityGroup, e.policy])).toEqual([
      ['logs', ['appa'], ['main (default security group)'], true, 'none'],
      ['s3', [], [], false, S3_POLICY],
      ['ssm', ['appa', 'appb'], ['endpoints'], false, POLICY],
    ]);
  });

  it('reads endpoint services, their load balancers and allowed principals, and bucket policies', () => {
    expect(tf.loadBalancers).toEqual([{ id: 'nlb', type: 'network', subnets: ['appa', 'appb'], incomplete: false }]);
    expect(tf.endpointServices).toEqual([
      { id: 'svc', acceptanceRequired: false, networkLoadBalancers: ['nlb'], gatewayLoadBalancers: [], principals: ['*'], incomplete: false },
    ]);
    expect(tf.bucketPolicies).toEqual([{ bucket: 'data', name: 'data-bucket', policy: BUCKET_POLICY }]);
  });

  it('reads workloads: placement, groups from launch templates, the default group, what they use', () => {
    const row = (id: string) => tf.workloads.find((w) => w.id === id)!;
    expect(tf.workloads.map((w) => `${w.id} ${w.workload}`)).toEqual([
      'asg autoscaling-group',
      'cluster eks-cluster',
      'fn lambda-function',
      'host ec2-instance',
      'lt launch-template',
      'nodes eks-node-group',
      'service ecs-service',
      'task ecs-task-definition',
    ]);
    expect(row('asg')).toMatchObject({ subnets: ['appa', 'appb'], securityGroups: ['app'], uses: ['lt'], defaultSecurityGroup: false });
    expect(row('host')).toMatchObject({ subnets: ['appa'], securityGroups: ['main (default security group)'], defaultSecurityGroup: true, vpc: 'main' });
    // EKS adds a cluster security group the configuration does not describe.
    expect(row('cluster')).toMatchObject({ securityGroups: ['app'], securityGroupsIncomplete: true });
    expect(row('nodes')).toMatchObject({ uses: ['cluster'], securityGroups: [], securityGroupsIncomplete: true });
    expect(row('service')).toMatchObject({ inVpc: true, uses: ['task'], assignPublicIp: false });
    expect(row('task')).toMatchObject({
      networkMode: 'awsvpc',
      containers: [
        {
          name: 'web',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1',
          logDriver: 'awslogs',
          secrets: ['arn:aws:ssm:us-east-1:123456789012:parameter/token'],
        },
      ],
    });
  });
});
