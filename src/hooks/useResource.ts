import { useEffect, useState } from 'react';

/** ResourceState is what a picker needs to show a list being loaded. */
export interface ResourceState<T> {
  items: T[];
  loading: boolean;
  error?: string;
}

interface Loaded<T> {
  key: string;
  items: T[];
  error?: string;
}

/**
 * useResource loads a list from a backend resource route whenever key
 * changes. A result that arrives after the key changed again is dropped, so a
 * slow answer for the previous mesh never overwrites the current one. A null
 * key means "nothing to load yet" (for example no mesh chosen).
 */
export function useResource<T>(key: string | null, load: () => Promise<T[]>): ResourceState<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>();

  useEffect(() => {
    if (key === null) {
      return;
    }
    let current = true;
    load().then(
      (items) => current && setLoaded({ key, items: items ?? [] }),
      (err) => current && setLoaded({ key, items: [], error: errorMessage(err) })
    );
    return () => {
      current = false;
    };
    // load is a new closure on each render; key says when to reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  if (key === null) {
    return { items: [], loading: false };
  }
  if (loaded?.key !== key) {
    return { items: [], loading: true };
  }
  return { items: loaded.items, loading: false, error: loaded.error };
}

/** errorMessage extracts the backend's message from a getResource failure. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { data?: { message?: string; error?: string }; message?: string; statusText?: string };
    return e.data?.message || e.data?.error || e.message || e.statusText || 'request failed';
  }
  return String(err);
}
