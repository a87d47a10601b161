import type { FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

type SchemaControllerOptions = NonNullable<FastifyServerOptions['schemaController']>;
type CompilersFactory = NonNullable<SchemaControllerOptions['compilersFactory']>;

/**
 * Fastify's `schemaController` option with zod's validator and serializer as the compilers of every
 * route (fastify-type-provider-zod: the route schemas are zod schemas). The same as calling
 * `setValidatorCompiler` and `setSerializerCompiler` before any route, except that Fastify then never
 * loads its default compilers (Ajv and fast-json-stringify), which no route of ours uses and which
 * cost about 40 ms of CPU at every start (docs/benchmarks.md).
 */
export const zodSchemaController: SchemaControllerOptions = {
  compilersFactory: {
    // Fastify's types name Ajv's compilers here; at run time any compiler of a route schema will do,
    // and these are the ones setValidatorCompiler and setSerializerCompiler accept.
    buildValidator: (() => validatorCompiler) as unknown as CompilersFactory['buildValidator'],
    buildSerializer: (() => serializerCompiler) as unknown as CompilersFactory['buildSerializer'],
  },
};
