// The machine list's rows, fetched from the server a page at a time as the list scrolls.
// The server filters, sorts and pages (GET /api/agents?offset&limit → {total, offset, items});
// this keeps the pages seen so far for one query, asks for the pages a visible range needs
// (one request per page, never twice at once), and drops answers to an older query. A
// `reset()` starts a new query; `refresh()` keeps the rows on screen and re-reads their pages.

export const PAGE_SIZE = 100;

/** Rows by index for one query; `fetchPage(offset, limit)` resolves to {total, items}. */
export class RowCache {
  constructor(fetchPage, { onChange, onError, pageSize = PAGE_SIZE } = {}) {
    this.fetchPage = fetchPage;
    this.onChange = onChange || (() => {});
    this.onError = onError || (() => {});
    this.pageSize = pageSize;
    this.reset();
  }

  /** Forgets every row: the next `ensure` loads afresh. */
  reset() {
    this.generation = (this.generation || 0) + 1;
    this.pages = new Map(); // page number → items
    this.loading = new Set(); // page numbers in flight
    this.stale = new Set(); // pages kept on screen until their re-read answers
    this.total = null; // unknown until the first page answers
  }

  /** Marks every page stale, so the visible ones are read again (rows stay on screen meanwhile). */
  refresh() {
    this.generation += 1;
    this.loading.clear();
    for (const page of this.pages.keys()) this.stale.add(page);
  }

  /** The row at `index`, or undefined while its page loads. */
  row(index) {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page ? page[index % this.pageSize] : undefined;
  }

  /** Every row loaded so far (for finding the selected machine). */
  find(predicate) {
    for (const items of this.pages.values()) {
      const found = items.find(predicate);
      if (found) return found;
    }
    return null;
  }

  /** Loads the pages rows [start, end) need. */
  ensure(start, end) {
    const first = Math.max(0, Math.floor(start / this.pageSize));
    const lastIndex = this.total === null ? first * this.pageSize : Math.min(end, this.total) - 1;
    const last = Math.max(first, Math.floor(lastIndex / this.pageSize));
    for (let page = first; page <= last; page += 1) {
      if (this.loading.has(page) || (this.pages.has(page) && !this.stale.has(page))) continue;
      this.load(page);
    }
  }

  async load(page) {
    const generation = this.generation;
    this.loading.add(page);
    try {
      const answer = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.total = answer.total;
      this.pages.set(page, answer.items);
      this.stale.delete(page);
      // Pages past the new end are gone (machines removed or filtered out meanwhile).
      for (const known of [...this.pages.keys()]) if (known * this.pageSize >= this.total && known !== 0) this.pages.delete(known);
      this.onChange();
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    } finally {
      if (generation === this.generation) this.loading.delete(page);
    }
  }
}
