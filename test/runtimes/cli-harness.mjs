// Evaluates the conformance corpus in the runtime that runs this file (Node, Bun or Deno):
//   <runtime> test/runtimes/cli-harness.mjs <entry specifier or path> <corpus.jsonl>
// and prints one JSON object: { runtime, entry, cold_start_ms, corpus_ms, results }.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { parseCorpus, runCorpus } from '../../conformance/runner.mjs';

const [entry, corpusPath] = process.argv.slice(2);
const cases = parseCorpus(readFileSync(corpusPath, 'utf8'));
const specifier = entry.startsWith('.') || entry.startsWith('/') ? pathToFileURL(entry).href : entry;
const api = await import(specifier);
const out = await runCorpus(api, cases, () => performance.now());
const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.versions.node}`;
process.stdout.write(JSON.stringify({ runtime, entry: api.RUNTIME_ENTRY, ...out }) + '\n');
