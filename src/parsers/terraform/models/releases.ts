/**
 * Releases of `terraform-aws-modules/vpc/aws` that the built-in models cover, oldest first. The registry module and its
 * submodules (`//modules/vpc-endpoints`) are one package with one set of release tags. Taken from the module's
 * CHANGELOG.md at v6.6.0 (commit 82d1929e): every release from 3.0.0, which moved the endpoints into the
 * `vpc-endpoints` submodule, to 6.6.0, the release the models were written from. No pre-releases were published in
 * that range.
 */
export const TERRAFORM_AWS_VPC_RELEASES: readonly string[] = [
  '3.0.0', '3.1.0', '3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0', '3.9.0', '3.10.0',
  '3.11.0', '3.11.1', '3.11.2', '3.11.3', '3.11.4', '3.11.5', '3.12.0', '3.13.0',
  '3.14.0', '3.14.1', '3.14.2', '3.14.3', '3.14.4', '3.15.0', '3.16.0', '3.16.1', '3.17.0', '3.18.0', '3.18.1', '3.19.0',
  '4.0.0', '4.0.1', '4.0.2',
  '5.0.0', '5.1.0', '5.1.1', '5.1.2', '5.2.0', '5.3.0', '5.4.0', '5.5.0', '5.5.1', '5.5.2', '5.5.3', '5.6.0',
  '5.7.0', '5.7.1', '5.7.2', '5.8.0', '5.8.1', '5.9.0', '5.10.0', '5.11.0', '5.12.0', '5.12.1', '5.13.0', '5.14.0',
  '5.15.0', '5.16.0', '5.17.0', '5.18.0', '5.18.1', '5.19.0', '5.20.0', '5.21.0', '5.21.1',
  '6.0.0', '6.0.1', '6.1.0', '6.2.0', '6.3.0', '6.4.0', '6.4.1', '6.5.0', '6.5.1', '6.6.0',
];
