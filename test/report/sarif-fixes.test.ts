import { describe, expect, it } from 'vitest';
import type * as sarif from 'sarif';
import { sarifFixes } from '../../src/report/sarif-fixes.js';
import type { Fix } from '../../src/source/findings.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const location = (file: string): sarif.ArtifactLocation => ({ uri: file, uriBaseId: '%SRCROOT%' });

const FIX: Fix = {
  description: 'Associate aws_vpc_endpoint.s3 with aws_route_table.private.',
  edits: [
    { file: 'main.tf', range: { start: { line: 3, column: 5 }, end: { line: 3, column: 5 } }, text: ', b' },
    { file: 'endpoints.tf', range: { start: { line: 2, column: 1 }, end: { line: 2, column: 4 } }, text: 'new' },
    { file: 'main.tf', range: { start: { line: 9, column: 2 }, end: { line: 9, column: 2 } }, text: '\n\nresource "x" "y" {}' },
  ],
};

describe('SARIF fixes from exact edits', () => {
  it('makes one artifact change per file, replacements from the end of the file up, insertions as empty regions', () => {
    expect(sarifFixes(FIX, location)).toEqual([
      {
        description: { text: FIX.description },
        artifactChanges: [
          {
            artifactLocation: { uri: 'endpoints.tf', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 4 }, insertedContent: { text: 'new' } }],
          },
          {
            artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 9, startColumn: 2, endLine: 9, endColumn: 2 }, insertedContent: { text: '\n\nresource "x" "y" {}' } },
              { deletedRegion: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 5 }, insertedContent: { text: ', b' } },
            ],
          },
        ],
      },
    ]);
  });

  it('gives nothing for advice without edits, or when a file it edits has no place in the log', () => {
    expect(sarifFixes({ description: 'Add an endpoint.', snippet: 'resource …' }, location)).toBeUndefined();
    expect(sarifFixes(undefined, location)).toBeUndefined();
    expect(sarifFixes(FIX, (file) => (file === 'main.tf' ? location(file) : undefined))).toBeUndefined();
  });

  it('validates against the SARIF 2.1.0 schema inside a result', () => {
    const log: sarif.Log = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'iac-vpce' } },
          results: [{ ruleId: 'VPCE101', message: { text: 'finding' }, fixes: sarifFixes(FIX, location)! }],
        },
      ],
    };
    expect(validateSarif(log)).toEqual([]);
  });
});
