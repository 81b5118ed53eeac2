#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx registers its loader, then the adapters' entry point takes over.
import { register } from 'tsx/esm/api';

register();
await import('../adapters/main.ts');
