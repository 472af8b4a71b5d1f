import { natProcessingPrice } from '../facts/aws-data.js';
import type { Finding, InterfaceEndpointInfo, ScanResult } from '../source/findings.js';
import { isUndecided } from '../source/types.js';
import { countLevels, portablePath, ruleDocUrl, sortedFindings } from './common.js';

/** Where the interface endpoint rates are published; the bundled pricing data has no hourly rate for them. */
export const PRIVATELINK_PRICING_URL = 'https://aws.amazon.com/privatelink/pricing/';
const VPC_PRICING_URL = 'https://aws.amazon.com/vpc/pricing/';

/** Text for a Markdown table cell: pipes escaped, line breaks and HTML kept out (GitHub renders a comment's HTML). */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.replace(/\|/g, '\\|')}${ticks}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const at = (f: { file: string; span: { start: { line: number } } }) => `${f.file}:${f.span.start.line}`;

function summaryLine(result: ScanResult): string {
  const counts = countLevels(result.findings);
  const undecided = result.diagnostics.filter(isUndecided).length;
  const suppressed = result.suppressed?.length ?? 0;
  return (
    `**${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}** ` +
    `in ${plural(result.files.length, 'file')} scanned · ${undecided} undecided · ${suppressed} suppressed`
  );
}

function findingsTable(findings: Finding[]): string[] {
  if (findings.length === 0) return ['No findings.'];
  return [
    '| level | rule | resource | file:line | message |',
    '|---|---|---|---|---|',
    ...findings.map(
      (f) => `| ${f.level} | [${f.ruleId}](${ruleDocUrl(f.ruleId)}) | ${code(f.location.address)} | ${code(at(f.location))} | ${cell(f.message)} |`,
    ),
  ];
}

function routingPaths(findings: Finding[]): string[] {
  const withPath = findings.filter((f) => f.path && f.path.length > 0);
  if (withPath.length === 0) return [];
  const out = ['', '### Routing paths', ''];
  for (const f of withPath) {
    out.push(`**${f.ruleId}** ${code(f.location.address)} (${code(at(f.location))})`, '');
    f.path!.forEach((step, i) => out.push(`${i + 1}. ${cell(step.message)} (${code(at(step.at))})`));
    out.push('');
  }
  out.pop();
  return out;
}

/** One finding's NAT data processing rate per TB, over the regions it holds in, from the bundled pricing data. */
function natRate(regions: string[]): string {
  const prices = regions.map((r) => natProcessingPrice(r)).filter((p) => p !== undefined);
  if (prices.length === 0) return 'rate not in the bundled pricing data';
  const perTb = prices.map((p) => p.perTb);
  const lo = Math.min(...perTb);
  const hi = Math.max(...perTb);
  const rate = lo === hi ? `$${lo.toFixed(2)} per TB` : `$${lo.toFixed(2)} to $${hi.toFixed(2)} per TB`;
  return prices.length === regions.length ? rate : `${rate} (${prices.length} of ${regions.length} regions have a bundled rate)`;
}

function regionList(regions: string[]): string {
  return regions.length <= 3 ? regions.join(', ') : `${regions.length} regions (${regions.slice(0, 3).join(', ')}, …)`;
}

function natAtStake(findings: Finding[]): string[] {
  const nat = findings.filter((f) => f.natRegions && f.natRegions.length > 0);
  if (nat.length === 0) return [];
  const read = nat.flatMap((f) => f.natRegions!.map((r) => natProcessingPrice(r))).find((p) => p !== undefined);
  return [
    '',
    '### NAT data processing at stake',
    '',
    'The configuration does not say how much traffic takes these paths, so the charge is given per TB (1,024 GB) a month that does; a gateway endpoint carries the same traffic at no charge.',
    '',
    '| rule | resource | region | NAT data processing |',
    '|---|---|---|---|',
    ...nat.map((f) => `| ${f.ruleId} | ${code(f.location.address)} | ${cell(regionList(f.natRegions!))} | ${cell(natRate(f.natRegions!))} |`),
    '',
    read
      ? `Rates: NAT gateway data processing per GB × 1,024, from the bundled pricing data (${read.source}, read ${read.read}).`
      : `Rates: the bundled pricing data has no NAT gateway data processing rate for these regions; see ${VPC_PRICING_URL}.`,
  ];
}

function interfaceEndpoints(list: InterfaceEndpointInfo[], root: string): string[] {
  if (list.length === 0) return [];
  const azs = list.reduce((n, e) => n + e.azs, 0);
  const incomplete = list.some((e) => e.azsIncomplete);
  return [
    '',
    '### Interface endpoints',
    '',
    '| endpoint | service | region | AZs | file:line |',
    '|---|---|---|---|---|',
    ...list.map(
      (e) =>
        `| ${code(e.at.address)} | ${cell(e.service ?? 'unknown')} | ${cell(e.region ?? 'deployment region')} | ${e.azs}${e.azsIncomplete ? '+' : ''} | ${code(`${portablePath(e.at.file, root)}:${e.at.span.start.line}`)} |`,
    ),
    '',
    `Standing cost: ${plural(list.length, 'interface endpoint')} in ${azs}${incomplete ? ' or more' : ''} endpoint-AZs, each billed per hour it is provisioned, whatever the traffic. ` +
      `The hourly rate per endpoint per AZ is not in the bundled pricing data: see ${PRIVATELINK_PRICING_URL}.`,
  ];
}

/**
 * The scan as GitHub-flavoured Markdown: what a job summary or a pull request comment shows. The findings, each routing
 * path, the NAT data processing at stake per finding's region (per TB: traffic volume is not in the configuration),
 * the interface endpoints that bill by the hour, and the undecided and suppressed counts.
 */
export function formatMarkdown(result: ScanResult): string {
  const findings = sortedFindings(result);
  const lines = [
    '## iac-vpce',
    '',
    summaryLine(result),
    '',
    ...findingsTable(findings),
    ...routingPaths(findings),
    ...natAtStake(findings),
    ...interfaceEndpoints(result.interfaceEndpoints ?? [], result.root),
  ];
  const undecided = result.diagnostics.filter(isUndecided).length;
  if (undecided > 0)
    lines.push(
      '',
      `${plural(undecided, 'place')} where a rule stayed silent because the answer rests on something the configuration does not say (listed in the SARIF and JSON reports).`,
    );
  return `${lines.join('\n')}\n`;
}
