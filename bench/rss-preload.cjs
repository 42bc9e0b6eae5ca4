// Preloaded (`node --require`) into the command-line process the bench measures (bench/cli-walk.mjs): at its exit,
// writes that process's own peak resident set (`process.resourceUsage().maxRSS`, KB) to the file BENCH_RSS_FILE names.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', (code) => {
    writeFileSync(file, JSON.stringify({ maxRssKB: process.resourceUsage().maxRSS, code }));
  });
}
