import { describe, expect, it } from 'vitest';
import { pathToUri, portablePath } from '../../src/report/common.js';

describe('pathToUri', () => {
  it.each([
    ['main.tf', 'main.tf'],
    ['modules/vpc/main.tf', 'modules/vpc/main.tf'],
    ['a dir/b#c?.tf', 'a%20dir/b%23c%3F.tf'],
    ['100%/x.tf', '100%25/x.tf'],
    ['données/é.tf', 'donn%C3%A9es/%C3%A9.tf'],
    ['emoji/🚀.tf', 'emoji/%F0%9F%9A%80.tf'],
    ["keep/sub-delims!$&'()*+,;=@:~.tf", "keep/sub-delims!$&'()*+,;=@:~.tf"],
    ['c:main.tf', 'c%3Amain.tf'],
    ['back\\slash.tf', 'back%5Cslash.tf'],
  ])('%s → %s', (input, uri) => {
    expect(pathToUri(input)).toBe(uri);
    expect(decodeURIComponent(uri)).toBe(input);
  });
});

describe('portablePath', () => {
  it('leaves relative paths alone and makes absolute ones relative to the root', () => {
    expect(portablePath('modules/vpc/main.tf', '/repo')).toBe('modules/vpc/main.tf');
    expect(portablePath('./main.tf', '/repo')).toBe('main.tf');
    expect(portablePath('/repo/env/prod.tfvars', '/repo')).toBe('env/prod.tfvars');
    expect(portablePath('/elsewhere/prod.tfvars', '/repo')).toBe('../elsewhere/prod.tfvars');
  });
});
