// Areas a browser app holding a profile token never calls (everything on AmaniClient but auth, raw
// and forProfile()) are loaded on first use through import(): bundlers put them in a chunk of their
// own (./lazy-areas.ts), which a browser fetches only when one of their methods is first called.
import { AmaniError } from '../errors.ts';

type Module = typeof import('./lazy-areas.ts');
type Areas = Module['areas'];
type Area<K extends keyof Areas> = ReturnType<Areas[K]>;
/** The area `key` as lazy() makes it. */
export type Lazy<K extends keyof Areas> = Pick<Area<K>, keyof Area<K>>;

/**
 * `load` on first use, shared by every caller; a failed load (a chunk that could not be fetched)
 * rejects with an AmaniError naming `what` the caller did, nothing sent, and the next call loads again.
 */
export function onFirstUse<M>(load: () => Promise<M>): (what: string) => Promise<M> {
  let loading: Promise<M> | undefined;
  return (what) =>
    (loading ??= load()).catch((cause: unknown) => {
      loading = undefined;
      throw new AmaniError(`${what}: could not load its code (${String(cause)}): the request was not sent. Check that the app serves all its chunks, then retry`, { cause });
    });
}

const loadAreas = /* @__PURE__ */ onFirstUse(() => import('./lazy-areas.ts'));

/**
 * The area `key` (see ./lazy-areas.ts), made from `arg` on its first call, as a plain object with
 * the methods `names` lists (the record makes the compiler check that none is missing). Until the
 * area is loaded a call waits for it; from then on every call goes straight to the area's method,
 * with the area as `this`. A failed load rejects the call with an AmaniError naming the method, and
 * nothing is sent.
 */
export function lazy<K extends keyof Areas>(key: K, arg: Parameters<Areas[K]>[0], names: Record<keyof Area<K>, 1>): Lazy<K> {
  let area: Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
  const methods: Record<string, unknown> = {};
  for (const name of Object.keys(names)) {
    methods[name] = (...args: unknown[]) =>
      area
        ? area[name]!(...args)
        : // batch is a method of the client itself.
          loadAreas(`amani.${key === name ? '' : `${key}.`}${name}()`).then((loaded) =>
            (area ??= (loaded.areas[key] as (arg: unknown) => NonNullable<typeof area>)(arg))[name]!(...args),
          );
  }
  return methods as Lazy<K>;
}
