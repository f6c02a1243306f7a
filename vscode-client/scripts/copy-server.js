// Copies the server jar built by Maven (../server/target/podnet.jar) into server/podnet.jar, where the extension
// and its tests look for it. With --if-present a missing Maven jar is not an error (the tests then skip).
'use strict';
const fs = require('fs');
const path = require('path');

const from = path.resolve(__dirname, '..', '..', 'server', 'target', 'podnet.jar');
const to = path.resolve(__dirname, '..', 'server', 'podnet.jar');
const optional = process.argv.includes('--if-present');

if (!fs.existsSync(from)) {
  const msg = `copy-server: ${from} does not exist; build it first with 'mvn -B -DskipTests package' at the repository root`;
  if (optional) {
    console.warn(msg);
    process.exit(0);
  }
  console.error(msg);
  process.exit(1);
}
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
console.log(`copy-server: ${from} -> ${to} (${fs.statSync(to).size} bytes)`);
