#!/usr/bin/env node
// Regenerates the AWS facts bundled in data/. The product never touches the network; this maintainer script does.
//
//   node scripts/refresh-data.mjs [IP_RANGES] [--prefix-lists FILE] [--endpoint-services FILE [--endpoint-docs FILE]] [--out DIR] [--no-ip-ranges]
//
// IP_RANGES is a path or URL of AWS's ip-ranges.json (default https://ip-ranges.amazonaws.com/ip-ranges.json), or a
// file already reduced to S3/DynamoDB prefixes ({syncToken, createDate, regions: {r: {s3, s3_ipv6, dynamodb}}}).
// --prefix-lists / --endpoint-services take the compiled source files (aws-managed-prefix-lists.json,
// aws-endpoint-services.json) and rewrite their compact copies; the endpoint services copy also takes in what the AWS
// documentation adds (scripts/data/endpoint-services-docs.json: cross-region services, services whose every endpoint
// name is documented). data/pricing.json is edited by hand.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_IP_RANGES = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
const SERVICES = { S3: 's3', DYNAMODB: 'dynamodb' };

function usage(message) {
  if (message) process.stderr.write(`refresh-data: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/refresh-data.mjs [IP_RANGES] [--prefix-lists FILE] [--endpoint-services FILE [--endpoint-docs FILE]] [--out DIR] [--no-ip-ranges]\n',
  );
  return 2;
}

function parseArgs(argv) {
  const opts = {
    ipRanges: DEFAULT_IP_RANGES,
    useIpRanges: true,
    prefixLists: undefined,
    endpointServices: undefined,
    endpointDocs: undefined,
    out: undefined,
  };
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--ip-ranges') opts.ipRanges = value();
    else if (a === '--prefix-lists') opts.prefixLists = value();
    else if (a === '--endpoint-services') opts.endpointServices = value();
    else if (a === '--endpoint-docs') opts.endpointDocs = value();
    else if (a === '--out') opts.out = value();
    else if (a === '--no-ip-ranges') opts.useIpRanges = false;
    else if (a === '--help' || a === '-h') return undefined;
    else if (!a.startsWith('-') && positional++ === 0) opts.ipRanges = a;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

function packageRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the script');
    dir = up;
  }
  return dir;
}

async function loadJson(pathOrUrl) {
  if (/^https?:\/\//.test(pathOrUrl)) {
    const res = await fetch(pathOrUrl);
    if (!res.ok) throw new Error(`${pathOrUrl}: HTTP ${res.status}`);
    return res.json();
  }
  return JSON.parse(await readFile(pathOrUrl, 'utf8'));
}

// Numeric sort keys, so the files list prefixes in address order whatever order AWS publishes them in.
function v4(s) {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}
function v6(s) {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (t) => (t === '' ? [] : t.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
function sortKey(cidr) {
  const [addr, len] = cidr.split('/');
  const value = addr.includes(':') ? v6(addr) : v4(addr);
  const bits = addr.includes(':') ? 128 : 32;
  if (value === undefined || !/^\d{1,3}$/.test(len ?? '') || Number(len) > bits) throw new Error(`not a CIDR in the source: ${cidr}`);
  return [value, Number(len)];
}
function sortCidrs(list) {
  return [...new Set(list)]
    .map((c) => [c, sortKey(c)])
    .sort((a, b) => (a[1][0] < b[1][0] ? -1 : a[1][0] > b[1][0] ? 1 : a[1][1] - b[1][1]))
    .map(([c]) => c);
}

/** Reduces ip-ranges.json, or the shared pre-reduced file, to {source, syncToken, createDate, regions, exceptions}. */
export function extractServicePrefixes(json, origin) {
  const regions = {};
  const exceptions = [];
  const add = (region, service, family, cidr) => {
    const r = (regions[region] ??= {});
    const s = (r[service] ??= {});
    (s[family] ??= []).push(cidr);
  };
  let source;
  if (Array.isArray(json.prefixes)) {
    source = `AWS ip-ranges.json (${origin})`;
    for (const [list, key, family] of [
      [json.prefixes, 'ip_prefix', 'ipv4'],
      [json.ipv6_prefixes ?? [], 'ipv6_prefix', 'ipv6'],
    ]) {
      for (const p of list) {
        const service = SERVICES[p.service];
        // GLOBAL prefixes are in no Region's managed prefix list (see src/facts/aws-data.ts).
        if (!service || p.region === 'GLOBAL') continue;
        add(p.region, service, family, p[key]);
        if (p.network_border_group && p.network_border_group !== p.region) {
          exceptions.push({ service, family, prefix: p[key], region: p.region, networkBorderGroup: p.network_border_group });
        }
      }
    }
  } else if (json.regions && json.syncToken) {
    source = json.source ?? origin;
    for (const [region, lists] of Object.entries(json.regions)) {
      if (region === 'GLOBAL') continue;
      for (const [key, cidrs] of Object.entries(lists)) {
        const [service, v6suffix] = key.split('_');
        for (const cidr of cidrs) add(region, service, v6suffix === 'ipv6' ? 'ipv6' : 'ipv4', cidr);
      }
    }
    for (const e of json.networkBorderGroupExceptions ?? []) {
      exceptions.push({
        service: SERVICES[e.service] ?? e.service,
        family: e.family,
        prefix: e.prefix,
        region: e.region,
        networkBorderGroup: e.network_border_group,
      });
    }
  } else throw new Error(`${origin}: neither ip-ranges.json nor a reduced S3/DynamoDB prefix file`);
  const sorted = {};
  for (const region of Object.keys(regions).sort()) {
    sorted[region] = {};
    for (const service of Object.keys(regions[region]).sort()) {
      sorted[region][service] = {};
      for (const family of ['ipv4', 'ipv6']) {
        const list = regions[region][service][family];
        if (list?.length) sorted[region][service][family] = sortCidrs(list);
      }
    }
  }
  return { source, syncToken: String(json.syncToken), createDate: json.createDate, regions: sorted, exceptions };
}

function servicePrefixesFile(x) {
  return {
    source: x.source,
    syncToken: x.syncToken,
    createDate: x.createDate,
    generatedBy: 'scripts/refresh-data.mjs',
    notes: [
      'Entries whose service is exactly S3 or DYNAMODB, by region; region GLOBAL is left out.',
      "Each entry is kept as published: a prefix-list route's entries compete by their own length, so they are never merged.",
      'These public ranges approximate the AWS-managed prefix lists com.amazonaws.<region>.s3 / .dynamodb; they are not the lists.',
      'A region or family without entries is absent, not empty.',
    ],
    networkBorderGroupExceptions: x.exceptions,
    regions: x.regions,
  };
}

function prefixListsFile(src) {
  const regions = {};
  for (const region of Object.keys(src.regions).sort()) {
    for (const [service, e] of Object.entries(src.regions[region])) {
      const entry = { id: e.prefixListId, name: e.prefixListName, verification: e.verification };
      if (e.note) entry.note = e.note;
      (regions[region] ??= {})[service] = entry;
    }
  }
  return {
    source: src.source,
    notes: [
      'Ids are region-scoped: one pl- id names different lists in different regions. Look up by (region, id).',
      'verification: corroborated = same (region, id) in two or more independent sources; unverified-single-source; suspect = likely wrong. Only corroborated ids may drive an error on their own.',
      'Per-entry sources are listed in the compiled source file this copy was made from.',
    ],
    regions,
  };
}

function endpointServicesFile(src, docs) {
  const iface = src.interfaceServices;
  const prefixes = new Set();
  for (const text of Object.values(src.nameFormat)) {
    for (const m of String(text).matchAll(/([a-z][a-z0-9.-]*?)\.<region>\.(?:<suffix>|vpce-svc-<id>)/g)) prefixes.add(m[1]);
  }
  const nonStandard = iface.nonStandardNames.map((n) => {
    const out = { suffix: n.suffix, pattern: n.serviceNamePattern };
    if (n.port) out.port = n.port;
    if (n.global) out.global = true;
    const m = /^(.*)\.<region>\./.exec(n.serviceNamePattern);
    if (m) prefixes.add(m[1]);
    return out;
  });
  const docSuffixes = [];
  const globalNames = nonStandard.filter((n) => n.global).map((n) => ({ name: n.pattern, service: n.suffix }));
  for (const e of src.extraInterfaceNamesFromDocs ?? []) {
    const m = /^com\.amazonaws\.<region>\.(.+)$/.exec(e.name);
    if (m) docSuffixes.push(m[1]);
    else if (e.global) globalNames.push({ name: e.name, service: e.name.split('.').pop() });
  }
  const crossRegion = [...new Set([...src.crossRegionEnabledServices.names.map((n) => n.split(' ')[0]), ...(docs?.crossRegion.names ?? [])])];
  const completeNames = docs?.completeNames ?? [];
  const interfaceSuffixes = new Set([...iface.standardSuffixes, ...docSuffixes]);
  for (const { names } of completeNames) for (const n of names) interfaceSuffixes.add(n);
  for (const n of crossRegion) if (!globalNames.some((g) => g.service === n)) interfaceSuffixes.add(n);
  return {
    source: src.source,
    docsRead: docs?.read,
    notes: [
      'Interface suffixes are the ones CDK names plus those the AWS docs add; not every service exists in every region. A suffix not listed is unverified, not invalid.',
      `crossRegion: services whose interface endpoints may name another region (ServiceRegion), as the AWS page lists them${docs ? ` (read ${docs.read}: ${docs.crossRegion.source})` : ''}.`,
      'completeNames: services whose documentation names every endpoint service name they offer; another name that starts with the service name and a separator is not offered.',
    ],
    nameFormats: src.nameFormat,
    regionalPrefixes: [...prefixes].filter((p) => p !== 'com.amazonaws.vpce').sort(),
    endpointServicePrefix: 'com.amazonaws.vpce',
    gatewayServices: src.gatewayServices.services,
    interfaceDefaultPort: iface.defaultPort,
    interfaceSuffixes: [...interfaceSuffixes].sort(),
    nonStandard,
    globalNames,
    crossRegion,
    completeNames: completeNames.map(({ service, names, source }) => ({ service, names, source })),
  };
}

/** One region (or one top-level key) per line: small files whose refresh diffs read well. */
function serialize(obj) {
  const lines = Object.entries(obj).map(([k, v]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 3) {
      const inner = Object.entries(v).map(([ik, iv]) => `  ${JSON.stringify(ik)}: ${JSON.stringify(iv)}`);
      return `${JSON.stringify(k)}: {\n${inner.join(',\n')}\n }`;
    }
    return `${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  return `{\n ${lines.join(',\n ')}\n}\n`;
}

async function updateSourcesMd(out, prefixes) {
  const file = join(out, 'SOURCES.md');
  if (!existsSync(file)) return;
  const text = await readFile(file, 'utf8');
  const block = `<!-- refresh-data:service-prefixes -->\n- syncToken ${prefixes.syncToken}, createDate ${prefixes.createDate}\n- Taken from: ${prefixes.source}\n<!-- /refresh-data -->`;
  const next = text.replace(/<!-- refresh-data:service-prefixes -->[\s\S]*?<!-- \/refresh-data -->/, block);
  if (next !== text) await writeFile(file, next);
}

export async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    return usage(e.message);
  }
  if (!opts) return usage();
  const out = resolve(opts.out ?? join(packageRoot(), 'data'));
  await mkdir(out, { recursive: true });
  const written = [];
  if (opts.useIpRanges) {
    const prefixes = extractServicePrefixes(await loadJson(opts.ipRanges), opts.ipRanges);
    await writeFile(join(out, 'aws-service-prefixes.json'), serialize(servicePrefixesFile(prefixes)));
    await updateSourcesMd(out, prefixes);
    written.push(['aws-service-prefixes.json', ` (syncToken ${prefixes.syncToken}, createDate ${prefixes.createDate})`]);
  }
  if (opts.prefixLists) {
    await writeFile(join(out, 'aws-managed-prefix-lists.json'), serialize(prefixListsFile(await loadJson(opts.prefixLists))));
    written.push(['aws-managed-prefix-lists.json', '']);
  }
  if (opts.endpointServices) {
    const docs = await loadJson(opts.endpointDocs ?? join(packageRoot(), 'scripts', 'data', 'endpoint-services-docs.json'));
    await writeFile(join(out, 'aws-endpoint-services.json'), serialize(endpointServicesFile(await loadJson(opts.endpointServices), docs)));
    written.push(['aws-endpoint-services.json', '']);
  }
  for (const [name, detail] of written) process.stdout.write(`wrote ${join(out, name)}${detail}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`refresh-data: ${e.message}\n`);
      process.exit(1);
    },
  );
}
