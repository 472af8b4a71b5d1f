/**
 * What a workload needs from AWS service endpoints when its subnet has no path to the internet: per workload pattern
 * (a Fargate task pulling from Amazon ECR, the awslogs log driver, a Systems Manager managed instance, …) the endpoints
 * AWS documents as required, why, and the page that says so. Read from data/aws-workload-endpoints.json (see
 * data/SOURCES.md).
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../source/package.js';

export type WorkloadPatternId =
  | 'ecr-image-pull-fargate'
  | 'awslogs-fargate'
  | 'task-secrets-secretsmanager'
  | 'task-secrets-ssm'
  | 'ssm-managed-instance'
  | 'eks-node-image-pull'
  | 'eks-optimized-ami';

export interface EndpointNeed {
  /** The endpoint service suffix: `ecr.dkr`, `logs`, `s3`. */
  endpoint: string;
  type: 'Interface' | 'Gateway';
  /** What the workload does with it, as a clause ("pulls the image through the Docker Registry API"). */
  why: string;
  /** The AWS page that documents the need, and what it says. */
  source: string;
  says: string;
}

export interface WorkloadPattern {
  id: string;
  workload: string;
  /** Whether VPCE601 acts on the pattern. */
  judged: boolean;
  needs: readonly EndpointNeed[];
  /** Endpoints people often create for the pattern that AWS no longer requires (ec2messages for SSM Agent 3.3.40.0+). */
  notRequired?: ReadonlyArray<{ endpoint: string; why: string; source: string }>;
}

interface File {
  read: string;
  patterns: WorkloadPattern[];
}

let data: File | undefined;

function file(): File {
  data ??= JSON.parse(readFileSync(packageFile('data', 'aws-workload-endpoints.json'), 'utf8')) as File;
  return data;
}

/** Every pattern of the data, judged or not. */
export function workloadPatterns(): readonly WorkloadPattern[] {
  return file().patterns;
}

/** A judged pattern by id; throws for an id the data lacks (a packaging bug the tests catch). */
export function workloadPattern(id: WorkloadPatternId): WorkloadPattern {
  const p = file().patterns.find((x) => x.id === id);
  if (!p) throw new Error(`data/aws-workload-endpoints.json has no pattern ${id}`);
  return p;
}
