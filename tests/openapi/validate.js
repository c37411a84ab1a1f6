// Validates an OpenAPI document (the file named by the first argument) with
// @apidevtools/swagger-parser: the OpenAPI 3.0 schema, every $ref resolved.
// Exit 0 when valid; 1 with the validator's message otherwise.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.js OPENAPI.json");
  process.exit(2);
}
SwaggerParser.validate(file)
  .then((api) => {
    console.log(`valid: ${api.info.title} ${api.info.version}`);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
