// Peer: remark-lint-frontmatter-schema configured with epilint's episode schema.
//
//   remark --rc-path bench/peers/remarkrc.mjs --no-stdout --quiet FILE_OR_FOLDER...
//
// The plugins live in a local npm prefix (bench/.node, see bench/README.md), not
// next to this file, so they are imported from there by path
// (EPILINT_BENCH_NODE_MODULES overrides the folder; EPILINT_BENCH_SCHEMA the schema).
//
// The plugin validates with Ajv's default dialect (draft-07) and ajv-formats, so the
// schema is adapted, with the same meaning, before it is embedded:
// - `$schema` (draft 2020-12) is dropped: Ajv's draft-07 class cannot compile a
//   2020-12 meta-schema reference, and the schema uses no 2020-12-only keyword;
// - the custom formats become `pattern`s: ajv-formats would check `duration` as an
//   ISO 8601 duration (P1H2M), and it has no `jekyll-date`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules =
  process.env.EPILINT_BENCH_NODE_MODULES ?? path.join(here, '..', '.node', 'node_modules');
const schemaPath =
  process.env.EPILINT_BENCH_SCHEMA ?? path.join(here, '..', '..', 'schemas', 'episode.schema.json');

const FORMAT_PATTERNS = {
  duration: '^(?:[0-9]+:[0-5][0-9]:[0-5][0-9]|[0-9]+:[0-5][0-9])$',
  'jekyll-date': '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?: [+-][0-9]{4})?$',
};

async function importPackage(name) {
  const dir = path.join(nodeModules, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const exported = typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.'];
  const entry =
    (typeof exported === 'string' ? exported : exported?.default ?? exported?.import) ??
    pkg.main ??
    'index.js';
  return (await import(pathToFileURL(path.join(dir, entry)).href)).default;
}

function adapt(node) {
  if (Array.isArray(node)) return node.map(adapt);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === 'format' && typeof value === 'string' && value in FORMAT_PATTERNS) {
      out.pattern = FORMAT_PATTERNS[value];
      continue;
    }
    out[key] = adapt(value);
  }
  return out;
}

const remarkFrontmatter = await importPackage('remark-frontmatter');
const remarkLintFrontmatterSchema = await importPackage('remark-lint-frontmatter-schema');
const schema = adapt(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));

export default {
  plugins: [remarkFrontmatter, [remarkLintFrontmatterSchema, { embed: schema }]],
};
