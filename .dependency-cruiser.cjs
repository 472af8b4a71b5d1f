/**
 * The layout of docs/architecture.md, enforced: parts depend one way, in the order data flows
 *   source ← facts ← parsers ← graph ← sim ← rules ← engine ← report ← cli ← action
 * no parser imports another format's parser, and no file circles. `npm run lint:deps` runs it; CI fails on a break.
 */
const LAYERS = ['src/source', 'src/facts', 'src/parsers', 'src/graph', 'src/sim', 'rules', 'src/engine', 'src/report', 'src/cli', 'src/action'];

const above = (i) => LAYERS.slice(i + 1).map((l) => `^${l}/`);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files must not import each other in a circle, directly or through others.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `layer-${layer.replace(/^src\//, '')}`,
      severity: 'error',
      comment: `${layer} sits below ${LAYERS.slice(i + 1).join(', ')} and must not import them (docs/architecture.md).`,
      from: { path: `^${layer}/` },
      to: { path: above(i) },
    })),
    {
      name: 'one-format-per-parser',
      severity: 'error',
      comment: 'A parser reads one format: what two formats share lives in src/source or src/facts.',
      from: { path: '^src/parsers/([^/]+)/' },
      to: { path: '^src/parsers/', pathNot: '^src/parsers/$1/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A source file nothing imports is dead code (entry points excepted).',
      from: { orphan: true, pathNot: ['^src/cli/bin\\.ts$', '^src/action/index\\.ts$', '^src/parsers/terraform/parse/worker\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|rules)/',
    tsConfig: { fileName: 'tsconfig.build.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
