// The simulator's GET /api/accounts/: every link has a deterministic set of accounts (1 to 4, from
// its id, unless a test says otherwise), served in Belvo's paginated shape with page and page_size.
import { createHash } from 'node:crypto';

export interface AccountsQuery {
  linkId: string;
  total: number;
  page: number;
  pageSize: number;
  institution: string;
  /** The absolute URL of another page of this same query, as Belvo puts it in `next`. */
  pageUrl: (page: number) => string;
  collectedAt: string;
}

/** Belvo's page size: 100 unless asked, at least 1, and never more than 1000. */
export function pageSizeOf(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return 100;
  return Math.min(n, 1000);
}

export function simulatedAccountCount(linkId: string): number {
  return 1 + (createHash('sha256').update(linkId).digest()[0]! % 4);
}

function accountId(linkId: string, index: number): string {
  const hex = createHash('sha256').update(`${linkId}:account:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One page of the link's accounts; undefined for a page past the end (Belvo answers 404). */
export function accountsPage(query: AccountsQuery) {
  const start = (query.page - 1) * query.pageSize;
  if (query.page < 1 || (start >= query.total && query.page > 1)) return undefined;
  const end = Math.min(query.total, start + query.pageSize);
  const results = [];
  for (let i = start; i < end; i += 1) {
    results.push({
      id: accountId(query.linkId, i),
      link: query.linkId,
      institution: { name: query.institution, type: 'bank' },
      collected_at: query.collectedAt,
      created_at: query.collectedAt,
      category: i % 2 === 0 ? 'CHECKING_ACCOUNT' : 'SAVINGS_ACCOUNT',
      balance_type: 'ASSET',
      type: 'Cuentas de efectivo',
      name: `Cuenta ${i + 1}`,
      number: String(4_000_000_000 + i),
      currency: 'MXN',
    });
  }
  return {
    count: query.total,
    next: end < query.total ? query.pageUrl(query.page + 1) : null,
    previous: query.page > 1 ? query.pageUrl(query.page - 1) : null,
    results,
  };
}
