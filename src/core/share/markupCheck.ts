// Finds HTML in a shared document. The studio only ever shows names and ids as text, so markup in
// them could do no harm here — but a link whose names carry `<script>` or `<img onerror=…>` was
// made to attack something, and the user should hear that rather than see the tag as a name.
import { childPath, type PlainJson } from '../pipeline/plainJson.js';

/** An opening, closing or comment tag: `<script`, `</b`, `<!--`, `<?xml`, `< img`. */
const MARKUP = /<\s*[A-Za-z!/?]/;

function excerpt(text: string): string {
  const start = text.search(MARKUP);
  const piece = text.slice(start, start + 24);
  return `${piece}${text.length > start + 24 ? '…' : ''}`;
}

/** Every string (keys included) holding markup, as "model.name: holds markup (<script>…)"; at most `limit`. */
export function findMarkup(value: PlainJson, limit = 5): string[] {
  const found: string[] = [];
  const visit = (item: PlainJson, path: string): void => {
    if (found.length >= limit) return;
    if (typeof item === 'string') {
      if (MARKUP.test(item)) found.push(`${path === '' ? 'the pipeline' : path}: holds markup (${JSON.stringify(excerpt(item))}); a shared pipeline never contains HTML`);
      return;
    }
    if (Array.isArray(item)) {
      item.forEach((child, index) => visit(child, childPath(path, index)));
      return;
    }
    if (item === null || typeof item !== 'object') return;
    for (const [key, child] of Object.entries(item)) {
      if (MARKUP.test(key)) {
        if (found.length < limit) found.push(`${path === '' ? 'the pipeline' : path}: a key holds markup (${JSON.stringify(excerpt(key))}); a shared pipeline never contains HTML`);
        continue;
      }
      visit(child, childPath(path, key));
    }
  };
  visit(value, '');
  return found;
}
