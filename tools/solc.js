#!/usr/bin/env node
// A native-solc stand-in backed by solc-js (see shared TOOLCHAIN notes). Answers:
//   --version
//   --standard-json [--base-path P] [--include-path P] [--allow-paths P]   (JSON on stdin)
//       for py-solc-x / ape-solidity, and crytic-compile's solc-json mode;
//   [remapping...] FILE... --combined-json FIELDS [--optimize] [--optimize-runs N]
//       [--evm-version V] [--via-ir] [--base-path P] [--include-path P] [--allow-paths P]
//       for Slither / crytic-compile's default solc mode (run as one standard-json compile and
//       reshaped into native solc's combined-json output).
// Writes the whole output before exiting (solc-js's own CLI truncates piped output and prints a
// non-JSON banner first). There is no sandbox: --allow-paths is accepted and ignored.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

function nativeVersionLine() {
  // solc-js reports e.g. 0.8.37+commit.f401782d.Emscripten.clang; native prints .Linux.g++.
  return solc.version().replace(".Emscripten.clang", ".Linux.g++");
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function optionValues(args, name) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg === name && i + 1 < args.length) values.push(args[i + 1]);
    else if (arg.startsWith(name + "=")) values.push(arg.slice(name.length + 1));
  });
  return values;
}

function importResolver(roots) {
  return (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.resolve(root, importPath));
    for (const candidate of candidates) {
      if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
}

function write(text) {
  return new Promise((resolve) => process.stdout.write(text, resolve));
}

function fail(message) {
  process.stderr.write(message.endsWith("\n") ? message : message + "\n");
  return 1;
}

/*//////////////////////////////////////////////////////////////
                        --combined-json
//////////////////////////////////////////////////////////////*/

// Native combined-json field -> [standard-json output selection, getter on a contract's output].
const CONTRACT_FIELDS = {
  abi: ["abi", (c) => c.abi],
  bin: ["evm.bytecode.object", (c) => c.evm.bytecode.object],
  "bin-runtime": ["evm.deployedBytecode.object", (c) => c.evm.deployedBytecode.object],
  srcmap: ["evm.bytecode.sourceMap", (c) => c.evm.bytecode.sourceMap],
  "srcmap-runtime": ["evm.deployedBytecode.sourceMap", (c) => c.evm.deployedBytecode.sourceMap],
  opcodes: ["evm.bytecode.opcodes", (c) => c.evm.bytecode.opcodes],
  asm: ["evm.legacyAssembly", (c) => c.evm.legacyAssembly],
  hashes: ["evm.methodIdentifiers", (c) => c.evm.methodIdentifiers],
  metadata: ["metadata", (c) => c.metadata],
  userdoc: ["userdoc", (c) => c.userdoc],
  devdoc: ["devdoc", (c) => c.devdoc],
  "storage-layout": ["storageLayout", (c) => c.storageLayout],
  "transient-storage-layout": ["transientStorageLayout", (c) => c.transientStorageLayout],
  "generated-sources": ["evm.bytecode.generatedSources", (c) => c.evm.bytecode.generatedSources],
  "generated-sources-runtime": [
    "evm.deployedBytecode.generatedSources",
    (c) => c.evm.deployedBytecode.generatedSources,
  ],
  "function-debug": ["evm.bytecode.functionDebugData", (c) => c.evm.bytecode.functionDebugData],
  "function-debug-runtime": [
    "evm.deployedBytecode.functionDebugData",
    (c) => c.evm.deployedBytecode.functionDebugData,
  ],
};
// "ast" is per source; "compact-format" is what every 0.8.10+ AST already is.
const OTHER_FIELDS = new Set(["ast", "compact-format"]);

const FLAGS = new Set(["--optimize", "--via-ir", "--experimental-via-ir", "--pretty-json", "--no-color", "--color"]);
const OPTIONS_WITH_VALUE = new Set([
  "--combined-json",
  "--optimize-runs",
  "--evm-version",
  "--base-path",
  "--include-path",
  "--allow-paths",
]);

function parseCommandLine(args) {
  const parsed = { flags: new Set(), options: {}, files: [], remappings: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (FLAGS.has(name) && eq === -1) {
        parsed.flags.add(name);
      } else if (OPTIONS_WITH_VALUE.has(name)) {
        let value;
        if (eq !== -1) value = arg.slice(eq + 1);
        else if (i + 1 < args.length) value = args[++i];
        else throw new Error(`option ${name} needs a value`);
        (parsed.options[name] = parsed.options[name] || []).push(value);
      } else {
        throw new Error(`unsupported option ${arg}`);
      }
    } else if (arg.includes("=") && !fs.existsSync(arg)) {
      parsed.remappings.push(arg);
    } else {
      parsed.files.push(arg);
    }
  }
  return parsed;
}

function toPosix(p) {
  return p.split(path.sep).join("/");
}

// Native solc names a CLI file by its path relative to the base or an include path when it lies
// inside one, else by its normalized path (relative stays relative when there is no base path).
function sourceUnitName(cliPath, basePath, includePaths) {
  const absolute = path.resolve(cliPath);
  for (const root of [basePath, ...includePaths].filter(Boolean)) {
    const relative = path.relative(path.resolve(root), absolute);
    if (relative && !relative.startsWith("..") && !path.isAbsolute(relative)) return toPosix(relative);
  }
  if (!basePath && !path.isAbsolute(cliPath)) return toPosix(path.normalize(cliPath));
  return toPosix(absolute);
}

async function combinedJson(args) {
  let cli;
  try {
    cli = parseCommandLine(args);
  } catch (err) {
    return fail(`solc.js wrapper: ${err.message}`);
  }
  const fields = cli.options["--combined-json"][0].split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = fields.filter((f) => !(f in CONTRACT_FIELDS) && !OTHER_FIELDS.has(f));
  if (unknown.length) return fail(`Invalid option to --combined-json: ${unknown.join(",")}`);
  if (!cli.files.length) return fail("No input files given.");

  const basePath = (cli.options["--base-path"] || [""])[0];
  const includePaths = cli.options["--include-path"] || [];
  const sources = {};
  for (const file of cli.files) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return fail(`"${file}" is not found.`);
    sources[sourceUnitName(file, basePath, includePaths)] = { content: fs.readFileSync(file, "utf8") };
  }

  const settings = {
    remappings: cli.remappings,
    optimizer: { enabled: cli.flags.has("--optimize") },
    outputSelection: {
      "*": {
        "*": fields.filter((f) => f in CONTRACT_FIELDS).map((f) => CONTRACT_FIELDS[f][0]),
        "": fields.includes("ast") ? ["ast"] : [],
      },
    },
  };
  if (cli.options["--optimize-runs"]) settings.optimizer.runs = Number(cli.options["--optimize-runs"][0]);
  if (cli.options["--evm-version"]) settings.evmVersion = cli.options["--evm-version"][0];
  if (cli.flags.has("--via-ir") || cli.flags.has("--experimental-via-ir")) settings.viaIR = true;

  const roots = [...(basePath ? [basePath] : []), ...includePaths, process.cwd()];
  const input = JSON.stringify({ language: "Solidity", sources, settings });
  const output = JSON.parse(solc.compile(input, { import: importResolver(roots) }));

  // Diagnostics go to stderr, as native solc prints them; any error means no JSON and exit 1.
  let failed = false;
  for (const error of output.errors || []) {
    process.stderr.write((error.formattedMessage || error.message) + "\n");
    if (error.severity === "error") failed = true;
  }
  if (failed) return 1;

  const combined = { contracts: {} };
  for (const [sourceName, contracts] of Object.entries(output.contracts || {})) {
    for (const [contractName, contract] of Object.entries(contracts)) {
      const entry = {};
      for (const field of fields) {
        if (field in CONTRACT_FIELDS) entry[field] = CONTRACT_FIELDS[field][1](contract);
      }
      combined.contracts[`${sourceName}:${contractName}`] = entry;
    }
  }
  const sourceNames = Object.keys(output.sources || {}).sort((a, b) => output.sources[a].id - output.sources[b].id);
  if (fields.some((f) => ["ast", "srcmap", "srcmap-runtime"].includes(f))) combined.sourceList = sourceNames;
  if (fields.includes("ast")) {
    combined.sources = {};
    for (const name of sourceNames) combined.sources[name] = { AST: output.sources[name].ast, id: output.sources[name].id };
  }
  combined.version = nativeVersionLine();

  await write(JSON.stringify(combined, null, cli.flags.has("--pretty-json") ? 2 : 0) + "\n");
  return 0;
}

/*//////////////////////////////////////////////////////////////
                              MAIN
//////////////////////////////////////////////////////////////*/

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--version")) {
    await write(`solc, the solidity compiler commandline interface\nVersion: ${nativeVersionLine()}\n`);
    return 0;
  }
  if (args.includes("--standard-json")) {
    const input = await readStdin();
    const roots = [...optionValues(args, "--base-path"), ...optionValues(args, "--include-path"), process.cwd()];
    const output = solc.compile(input, { import: importResolver(roots) });
    await write(output + "\n");
    return 0;
  }
  if (args.some((arg) => arg === "--combined-json" || arg.startsWith("--combined-json="))) {
    return combinedJson(args);
  }
  process.stderr.write(`solc.js wrapper: unsupported arguments: ${args.join(" ")}\n`);
  return 1;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
