// The SSRF rule for the operator's webhook endpoint: in production it may not be this machine
// (loopback, or the "this host" addresses that reach it) nor a link-local address (where cloud
// metadata services answer), unless OPERATOR_WEBHOOK_ALLOW_LOCAL says so. Private networks stay
// allowed: the operator's backend may well live on one.
import { BlockList, isIP } from 'node:net';

const LOCAL = new BlockList();
LOCAL.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('0.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LOCAL.addAddress('::1', 'ipv6');
LOCAL.addAddress('::', 'ipv6');
LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** True for a loopback or link-local IP address (IPv4-mapped IPv6 forms included); false for a host name. */
export function isLocalAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family === 0) return false;
  return LOCAL.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
