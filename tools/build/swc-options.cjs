// The one SWC configuration used by the Node build and by jest, so that tests run
// exactly the code the build ships (decorator metadata included, which NestJS and
// TypeORM rely on and which esbuild cannot emit).
/** @param {{ sourceMaps?: boolean | 'inline' }} [opts] */
function swcOptions(opts = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs', strict: true },
    sourceMaps: opts.sourceMaps ?? true,
    swcrc: false,
    configFile: false,
  };
}
module.exports = { swcOptions };
