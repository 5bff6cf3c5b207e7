#!/usr/bin/env node
// The `whittle` command. Node 20 cannot run TypeScript by itself, so this shim registers tsx's
// loader (with the repo's tsconfig, whatever the working directory) and hands over to cli/main.ts.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// `whittle inspect big.onnx | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
