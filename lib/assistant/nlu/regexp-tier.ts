import { setFlagsFromString } from 'node:v8';

/**
 * Reading a message runs a few dozen long patterns (the guards' and the slots' alternations of
 * many phrases), each on the words as typed and as corrected. V8 runs a pattern's first execution
 * in its regexp bytecode interpreter and compiles it to machine code on a later one; on
 * alternations of a hundred phrases the interpreter is slow. In a fresh process, interpreted first,
 * the first message takes ~30 ms to understand and the second ~5 ms; compiled to machine code
 * straight away, ~11 ms and ~1 ms (alike on Node 20, 22 and 24). That is part of the
 * conversation's cold start: the first message a container answers (docs/performance.md).
 *
 * Node refuses this V8 flag in NODE_OPTIONS, so it is set here, as the understanding loads and
 * before any of its patterns has run. Node keeps V8's flags writable for `setFlagsFromString`; a
 * pattern matches the same whichever way V8 runs it (the understanding's tests run with it set).
 */
setFlagsFromString('--no-regexp-tier-up');
