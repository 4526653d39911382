#!/usr/bin/env node
// The `amani` executable: the real process's streams, environment and signals handed to runCli.
import { processIo } from './io.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
