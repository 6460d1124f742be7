/** A field-level problem; structurally the service kit's `FieldError`, so it can be thrown in a `ValidationError` as is. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Outcome of checking one value: the normalised value, or the reasons it was refused. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = <T>(field: string, message: string): Checked<T> => ({ ok: false, error: { field, message } });
