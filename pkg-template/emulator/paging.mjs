// page/size/sort of the list operations (components.parameters page, size and
// components.schemas backup.sort, database.sort, user.sort) and the Pagination object.

const DEFAULT_PAGE = 1;
const DEFAULT_SIZE = 10; // components.parameters.size default
const DEFAULT_SORT = 'index.desc'; // the spec's example for every *.sort parameter

/** Sort keys per list: the `<key>` of `<key>.asc|desc` → how to read it from an item. */
export const SORT_KEYS = {
  backups: { index: (b) => b.id, end_time: (b) => b.completionMs, name: (b) => b.name, retained_until: (b) => b.retainedUntilMs, size: (b) => b.size, type: (b) => b.type },
  databases: { index: (d) => d.id, created_at: (d) => d.createdMs, database_id: (d) => d.id, database_name: (d) => d.name.toLowerCase(), database_owner: (d) => d.owner.toLowerCase() },
  users: { index: (u) => u.id, id: (u) => u.id, name: (u) => u.username.toLowerCase(), status: (u) => u.status },
};

export function sortValues(list) {
  return Object.keys(SORT_KEYS[list]).flatMap((key) => [`${key}.asc`, `${key}.desc`]);
}

/** Sorts and slices `items`; assumes the query was checked with checks.checkPaging. */
export function paginate(items, query, list) {
  const page = Number(query.get('page') ?? DEFAULT_PAGE);
  const size = Number(query.get('size') ?? DEFAULT_SIZE);
  const sort = query.get('sort') ?? DEFAULT_SORT;
  const [key, direction] = sort.split('.');
  const read = SORT_KEYS[list][key];
  const factor = direction === 'desc' ? -1 : 1;
  const sorted = [...items].sort((a, b) => {
    const x = read(a);
    const y = read(b);
    return x < y ? -factor : x > y ? factor : 0;
  });
  const totalRows = sorted.length;
  return {
    pageItems: sorted.slice((page - 1) * size, page * size),
    pagination: { page, size, sort, totalRows, totalPages: Math.ceil(totalRows / size) },
  };
}
