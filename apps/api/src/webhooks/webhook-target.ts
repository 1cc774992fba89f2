import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** Where deliveries may go: public addresses only, unless the operator allows more. */
export interface AddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_HOSTS (lower case) */
  allowedHosts: string[];
}

/** A URL or address deliveries may not go to; the message is a sentence for the endpoint's owner. */
export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

const OPERATOR_HINT = 'an administrator can allow it with WEBHOOK_ALLOW_PRIVATE=true or by listing the host in WEBHOOK_ALLOWED_HOSTS';

/** The host of a URL as written, without the brackets of an IPv6 literal. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/**
 * Why `address` is not a public unicast address (private, loopback, link-local — cloud
 * metadata at 169.254.169.254 included —, carrier-grade NAT, multicast, reserved…), or
 * null when it is one. IPv4-mapped IPv6 addresses are judged as the IPv4 address.
 */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

/** Parses a webhook URL: http(s) only, no fragment; throws {@link WebhookTargetRefused} with the reason. */
export function parseWebhookUrl(text: string): URL {
  if (!URL.canParse(text)) throw new WebhookTargetRefused(`"${text}" is not a URL; give the full address of your receiver, e.g. https://portal.example.com/hooks/texttune.`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetRefused(`Webhook URLs must start with https:// or http://, not ${url.protocol}//.`);
  if (!url.hostname) throw new WebhookTargetRefused('The webhook URL has no host name.');
  return url;
}

/**
 * What can be checked without DNS, at creation: an IP-literal host must be public unless
 * allowed. Host names are checked at every delivery, after resolving them.
 */
export function checkLiteralAddress(url: URL, policy: AddressPolicy): void {
  const host = bareHost(url);
  if (!isIP(host) || policy.allowPrivate || policy.allowedHosts.includes(host)) return;
  const range = nonPublicRange(host);
  if (range) throw new WebhookTargetRefused(`${host} is a ${range} address; webhooks are delivered only to public addresses (${OPERATOR_HINT}).`);
}

/** The address to connect to: the host's first resolved address, after every resolved address passed the policy. */
export async function resolveTarget(url: URL, policy: AddressPolicy): Promise<LookupAddress> {
  const host = bareHost(url);
  const addresses: LookupAddress[] = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await new Promise<LookupAddress[]>((resolve, reject) =>
        dnsLookup(host, { all: true, verbatim: true }, (error, found) =>
          error ? reject(new WebhookTargetRefused(`The host ${host} could not be resolved (${error.code ?? error.message}).`)) : resolve(found),
        ),
      );
  if (!addresses.length) throw new WebhookTargetRefused(`The host ${host} has no address.`);
  if (!policy.allowPrivate && !policy.allowedHosts.includes(host)) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range) throw new WebhookTargetRefused(`${host} resolves to ${address}, a ${range} address; webhooks are delivered only to public addresses (${OPERATOR_HINT}).`);
    }
  }
  return addresses[0];
}

export interface PostResult {
  status: number;
  durationMs: number;
}

/**
 * POSTs `body` to `url`, connecting only to `address` (already checked: a DNS answer that
 * changes between the check and the connection cannot redirect it), with TLS still
 * verified against the URL's host name. No redirect is followed. Rejects when no answer
 * arrives within `timeoutMs` or the connection fails.
 */
export function postTo(url: URL, address: LookupAddress, headers: Record<string, string>, body: string, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
  const started = Date.now();
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (err: null, addresses: LookupAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        signal,
      },
      (response) => {
        // Only the status counts: the body is not read (a receiver cannot make us download
        // anything), and the connection, not reused, is closed.
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, durationMs: Date.now() - started });
        response.on('error', () => undefined);
        request.destroy();
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    // After the answer, destroying the request is not a failure (the promise is settled already).
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
