#!/usr/bin/env node
// A native-solc stand-in backed by solc-js, for py-solc-x / ape-solidity (see shared TOOLCHAIN notes).
// Answers `--version` and `--standard-json [--base-path P] [--include-path P] [--allow-paths P]`
// with the JSON on stdin; writes the whole output before exiting (solc-js's own CLI truncates
// piped output and prints a non-JSON banner first).
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
  process.stderr.write(`solc.js wrapper: unsupported arguments: ${args.join(" ")}\n`);
  return 1;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
