import { interfaceEndpointHourPrice, natProcessingPrice } from '../facts/aws-data.js';
import type { Finding, InterfaceEndpointInfo, ScanResult } from '../source/findings.js';
import { isUndecided } from '../source/types.js';
import { countLevels, portablePath, ruleDocUrl, sortedFindings } from './common.js';
import { repoRelative } from './github.js';

/** Where the interface endpoint rates are published, for regions the bundled pricing data has no rate for. */
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

type Ref = { file: string; span: { start: { line: number } } };
/** Where a location is, as `path:line`; the path relative to the repository root when there is one. */
type Where = (ref: Ref) => string;

function summaryLine(result: ScanResult): string {
  const counts = countLevels(result.findings);
  const undecided = result.diagnostics.filter(isUndecided).length;
  const suppressed = result.suppressed?.length ?? 0;
  return (
    `**${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}** ` +
    `in ${plural(result.files.length, 'file')} scanned · ${undecided} undecided · ${suppressed} suppressed`
  );
}

function findingsTable(findings: Finding[], at: Where): string[] {
  if (findings.length === 0) return ['No findings.'];
  return [
    '| level | rule | resource | file:line | message |',
    '|---|---|---|---|---|',
    ...findings.map(
      (f) => `| ${f.level} | [${f.ruleId}](${ruleDocUrl(f.ruleId)}) | ${code(f.location.address)} | ${code(at(f.location))} | ${cell(f.message)} |`,
    ),
  ];
}

function routingPaths(findings: Finding[], at: Where): string[] {
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

/** Hours in an average month, the figure AWS's own pricing examples use. */
const HOURS_PER_MONTH = 730;

const usd = (n: number) => `$${n.toFixed(2)}`;

/** One endpoint's standing cost per hour and per month, "at least" when some subnet is unresolved. */
function endpointCost(e: InterfaceEndpointInfo): { hour: number; cells: string } | undefined {
  const price = e.region ? interfaceEndpointHourPrice(e.region) : undefined;
  if (!price) return undefined;
  const hour = price.perAzHour * e.azs;
  const least = e.azsIncomplete ? 'at least ' : '';
  return { hour, cells: `${least}${usd(hour)} | ${least}${usd(hour * HOURS_PER_MONTH)}` };
}

function interfaceEndpoints(list: InterfaceEndpointInfo[], at: Where): string[] {
  if (list.length === 0) return [];
  const azs = list.reduce((n, e) => n + e.azs, 0);
  const incomplete = list.some((e) => e.azsIncomplete);
  const costs = list.map(endpointCost);
  const priced = costs.filter((c) => c !== undefined);
  const hourly = priced.reduce((n, c) => n + c.hour, 0);
  const read = list.map((e) => (e.region ? interfaceEndpointHourPrice(e.region) : undefined)).find((p) => p !== undefined);
  const unpriced = list.length - priced.length;
  const total =
    priced.length > 0
      ? ` ${priced.length === list.length ? 'Together' : `The ${priced.length} with a bundled rate`}: ${usd(hourly)} an hour, ${usd(hourly * HOURS_PER_MONTH)} a month (${HOURS_PER_MONTH} hours)` +
        `${priced.length < list.length || incomplete ? ' or more' : ''}; rates per endpoint per AZ per hour from the bundled pricing data (${read!.source}, read ${read!.read}).`
      : '';
  const missing =
    unpriced > 0
      ? ` ${plural(unpriced, 'endpoint')} ${unpriced === 1 ? 'has' : 'have'} no bundled rate (region not known, or not in the data): see ${PRIVATELINK_PRICING_URL}.`
      : '';
  return [
    '',
    '### Interface endpoints',
    '',
    '| endpoint | service | region | AZs | per hour | per month | file:line |',
    '|---|---|---|---|---|---|---|',
    ...list.map(
      (e, i) =>
        `| ${code(e.at.address)} | ${cell(e.service ?? 'unknown')} | ${cell(e.region ?? 'deployment region')} | ${e.azs}${e.azsIncomplete ? '+' : ''} | ` +
        `${costs[i]?.cells ?? 'rate not in the bundled pricing data | —'} | ${code(at(e.at))} |`,
    ),
    '',
    `Standing cost: ${plural(list.length, 'interface endpoint')} in ${azs}${incomplete ? ' or more' : ''} endpoint-AZs, each billed per hour it is provisioned in each AZ, whatever the traffic.` +
      total +
      missing,
  ];
}

/**
 * The scan as GitHub-flavoured Markdown: what a job summary or a pull request comment shows. The findings, each routing
 * path, the NAT data processing at stake per finding's region (per TB: traffic volume is not in the configuration),
 * the interface endpoints that bill by the hour, and the undecided and suppressed counts.
 */
export function formatMarkdown(result: ScanResult, opts: { repoRoot?: string } = {}): string {
  const findings = sortedFindings(result);
  const at: Where = (ref) => `${repoRelative(portablePath(ref.file, result.root), result.root, opts.repoRoot)}:${ref.span.start.line}`;
  const lines = [
    '## iac-vpce',
    '',
    summaryLine(result),
    '',
    ...findingsTable(findings, at),
    ...routingPaths(findings, at),
    ...natAtStake(findings),
    ...interfaceEndpoints(result.interfaceEndpoints ?? [], at),
  ];
  const undecided = result.diagnostics.filter(isUndecided).length;
  if (undecided > 0)
    lines.push(
      '',
      `${plural(undecided, 'place')} where a rule stayed silent because the answer rests on something the configuration does not say (listed in the SARIF and JSON reports).`,
    );
  return `${lines.join('\n')}\n`;
}
