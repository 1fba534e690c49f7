/**
 * What Next gives a page under /[project]: its route parameters (the project's slug, and `P`) and its
 * query (`Q`), each a promise.
 */
export type ProjectPageProps<Q = object, P = object> = {
  params: Promise<{ project: string } & P>;
  searchParams: Promise<Q>;
};
