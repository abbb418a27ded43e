/**
 * Whose rate budget a Socket.IO producer spends. Not the socket: twenty sockets from one address would
 * have twenty budgets. A producer is its address, plus the id it declares (`auth.producer`), so that
 * two well-behaved programs on one machine do not share a budget; an address holds at most
 * `perAddress` ids of its own, and every further id shares one overflow budget.
 */
const PRODUCER_ID = /^[\w.:-]{1,64}$/;

export class ProducerIdentities {
  private readonly byAddress = new Map<string, Set<string>>();

  constructor(private readonly perAddress: number) {}

  identity(address: string, declared: unknown): string {
    if (typeof declared !== 'string' || !PRODUCER_ID.test(declared)) return `socket:${address}`;
    let ids = this.byAddress.get(address);
    if (!ids) {
      ids = new Set();
      this.byAddress.set(address, ids);
    }
    if (ids.has(declared) || ids.size < this.perAddress) {
      ids.add(declared);
      return `socket:${address}:${declared}`;
    }
    return `socket:${address}:*`;
  }
}
