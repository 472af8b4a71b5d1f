// Loaded with `node --import` into every benchmarked process: when the process exits, its resource usage (peak RSS
// in kilobytes, CPU time) is written as JSON to the file named by BENCH_USAGE_FILE. Worker threads share the process,
// so their memory counts too.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_USAGE_FILE;
if (out) process.on('exit', () => writeFileSync(out, JSON.stringify(process.resourceUsage())));
