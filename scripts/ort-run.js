#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (CPU, onnxruntime-node from
// third_party/npm) on .npy inputs and writes one .npy per output: the
// reference that fuse-run is compared against.
//
//   node scripts/ort-run.js MODEL.onnx --input NAME=FILE.npy... --output-dir DIR
//       [--threads N] [--repeat N]   (prints the median run time in ms)
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '..', 'third_party', 'npm',
                              'node_modules', 'onnxruntime-node'));

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array],
  '|b1': ['bool', Uint8Array], '<f2': ['float16', Uint16Array],
};

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') fail(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
      .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  if (!DTYPES[descr]) fail(`${file}: unsupported dtype ${descr}`);
  const [type, Ctor] = DTYPES[descr];
  const bytes = buf.subarray(offset + headerLen);
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset,
                                           bytes.byteOffset + bytes.length));
  return new ort.Tensor(type, type === 'bool' ? Array.from(data, Boolean) : data,
                        shape);
}

function writeNpy(file, tensor) {
  const descr = Object.keys(DTYPES).find((k) => DTYPES[k][0] === tensor.type);
  if (!descr) fail(`output type ${tensor.type} not supported`);
  const dims = tensor.dims.length === 1 ? `(${tensor.dims[0]},)`
                                        : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  const data = tensor.type === 'bool' ? Buffer.from(Uint8Array.from(tensor.data, Number))
                                      : Buffer.from(tensor.data.buffer, tensor.data.byteOffset,
                                                    tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

async function main() {
  const args = process.argv.slice(2);
  let model = null, outDir = null, threads = 1, repeat = 0;
  const feeds = {};
  for (let i = 0; i < args.length; ++i) {
    const a = args[i];
    const value = () => (a.includes('=') && a.startsWith('--') && !a.startsWith('--input')
                         ? a.split('=').slice(1).join('=') : args[++i]);
    if (a === '--input') {
      const [name, file] = args[++i].split('=');
      feeds[name] = readNpy(file);
    } else if (a.startsWith('--output-dir')) outDir = value();
    else if (a.startsWith('--threads')) threads = Number(value());
    else if (a.startsWith('--repeat')) repeat = Number(value());
    else if (!model) model = a;
    else fail(`unexpected argument ${a}`);
  }
  if (!model || !outDir) fail('usage: ort-run.js MODEL --input NAME=FILE.npy... --output-dir DIR');
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1,
    graphOptimizationLevel: 'all', executionMode: 'sequential'});
  let results = await session.run(feeds);
  if (repeat > 0) {
    const times = [];
    for (let r = 0; r < repeat; ++r) {
      const t0 = process.hrtime.bigint();
      results = await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`ort median ms: ${times[Math.floor(times.length / 2)].toFixed(3)}`);
  }
  fs.mkdirSync(outDir, {recursive: true});
  for (const [name, tensor] of Object.entries(results))
    writeNpy(path.join(outDir, `${name}.npy`), tensor);
}

main().catch((e) => fail(String(e.message || e)));
