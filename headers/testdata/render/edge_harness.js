// Runs rendered CloudFront Functions or Lambda@Edge code on events of the
// shape the CloudFront Developer Guide documents, one per URI, and prints
// the response headers for each URI as JSON: {"uri": {"name": "v1, v2"}}.
// It also checks the shape of what the code returns: lower-case keys,
// {value} objects (with multiValue) for CloudFront Functions, [{key, value}]
// lists whose key matches for Lambda@Edge.
//
// usage: node edge_harness.js cloudfront-function|lambda-edge CODE_FILE URI...
'use strict';
const fs = require('fs');
const vm = require('vm');

const [kind, codeFile, ...uris] = process.argv.slice(2);
const code = fs.readFileSync(codeFile, 'utf8');

// What an S3 origin might send, some of it overridden by the code.
const originHeaders = {
  'content-type': 'text/html',
  'cache-control': 'max-age=0',
  'x-frame-options': 'SAMEORIGIN',
  server: 'AmazonS3',
};

function fail(msg) {
  throw new Error(msg);
}

async function cloudfrontFunction(uri, status) {
  // A context without Node's globals (require, process, Buffer...), as in
  // CloudFront Functions, where the code is a script declaring handler.
  const ctx = vm.createContext({});
  vm.runInContext(code, ctx, { filename: codeFile });
  const headers = {};
  for (const [k, v] of Object.entries(originHeaders)) headers[k] = { value: v };
  ctx.event = {
    version: '1.0',
    context: {
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      distributionId: 'EDFDVBD6EXAMPLE',
      eventType: 'viewer-response',
      requestId: 'EXAMPLEntjQpEXAMPLE_SG5Z-EXAMPLEPmPfEXAMPLEu3EqEXAMPLE==',
    },
    viewer: { ip: '198.51.100.11' },
    request: {
      method: 'GET',
      uri,
      querystring: {},
      headers: { host: { value: 'video.example.com' }, accept: { value: 'text/html' } },
      cookies: {},
    },
    response: { statusCode: status, statusDescription: 'OK', headers, cookies: {} },
  };
  const res = await vm.runInContext('handler(event)', ctx);
  if (!res || typeof res.statusCode !== 'number') fail('handler did not return the response');
  const out = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (k !== k.toLowerCase()) fail(`header key ${k} is not lower-case`);
    if (typeof v.value !== 'string') fail(`header ${k} has no string value`);
    let values = [v.value];
    if (v.multiValue !== undefined) {
      if (!Array.isArray(v.multiValue) || v.multiValue[0].value !== v.value) fail(`header ${k}: bad multiValue`);
      values = v.multiValue.map((m) => m.value);
    }
    out[k] = values.join(', ');
  }
  return out;
}

async function lambdaEdge(uri, status) {
  const module = { exports: {} };
  vm.runInNewContext(code, { module, exports: module.exports }, { filename: codeFile });
  const headers = {};
  for (const [k, v] of Object.entries(originHeaders)) {
    headers[k] = [{ key: k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), value: v }];
  }
  const event = {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'origin-response',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            headers: { host: [{ key: 'Host', value: 'example.org' }] },
            method: 'GET',
            origin: { s3: { domainName: 'bucket.s3.amazonaws.com', path: '', authMethod: 'none', customHeaders: {} } },
            querystring: '',
            uri,
          },
          response: { headers, status: String(status), statusDescription: status === 200 ? 'OK' : 'Not Found' },
        },
      },
    ],
  };
  const res = await module.exports.handler(event);
  if (!res || typeof res.status !== 'string') fail('handler did not return the response');
  const out = {};
  for (const [k, list] of Object.entries(res.headers)) {
    if (k !== k.toLowerCase()) fail(`header key ${k} is not lower-case`);
    if (!Array.isArray(list) || list.length === 0) fail(`header ${k} is not a list`);
    for (const h of list) {
      if (typeof h.value !== 'string') fail(`header ${k} has no string value`);
      if (h.key !== undefined && h.key.toLowerCase() !== k) fail(`header ${k} has key ${h.key}`);
    }
    out[k] = list.map((h) => h.value).join(', ');
  }
  return out;
}

async function main() {
  const run = { 'cloudfront-function': cloudfrontFunction, 'lambda-edge': lambdaEdge }[kind];
  if (!run) fail(`unknown kind ${kind}`);
  const out = {};
  for (const uri of uris) {
    // Lambda@Edge origin-response functions also run for error statuses.
    out[uri] = await run(uri, 200);
    if (kind === 'lambda-edge') {
      const err = await run(uri, 404);
      if (JSON.stringify(err) !== JSON.stringify(out[uri])) fail(`${uri}: a 404 got other headers`);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
