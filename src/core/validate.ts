// Input checks that run before anything is sent. Each names the field and says how to fix it, and
// each rule comes from the spec (generated/constants.ts) where the spec has one.
import { DocumentTypeCodePattern } from '../../generated/constants.ts';
import { InvalidInputError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOCUMENT_TYPE = new RegExp(DocumentTypeCodePattern);

/** A caller's string in a message: whole when short, else a clearly cut prefix (it may be a whole document). */
export const quote = (value: string): string => JSON.stringify(value.slice(0, 40)) + (value.length > 40 ? `… (${value.length} characters)` : '');

/** What a refused value was: a blank string is never quoted, so requireString quotes no password. */
export const show = (value: unknown): string => (typeof value !== 'string' ? typeof value : value.trim() ? quote(value) : 'a blank string');

export function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError(field, `is required and must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

export const isUuid = (value: string): boolean => UUID.test(value);

export function requireUuid(field: string, value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new InvalidInputError(field, `must be a uuid such as 6aff82cb-e91a-4df4-b9a3-d69de0be1a2e, got ${show(value)}`);
  }
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function requireDocumentType(field: string, value: unknown): string {
  if (typeof value !== 'string' || !DOCUMENT_TYPE.test(value)) {
    throw new InvalidInputError(
      field,
      `must be a document type code like TUR_ID_1 or XXX_SE_0 (country, class, variant: ${DocumentTypeCodePattern}), got ${show(value)}`,
    );
  }
  return value;
}

export function requireObject(field: string, value: unknown, atLeastOne = false): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(field, `must be an object, got ${Array.isArray(value) ? 'an array' : show(value)}`);
  }
  if (atLeastOne && !Object.values(value).some((v) => v !== undefined)) {
    throw new InvalidInputError(field, 'must set at least one field');
  }
  return value as Record<string, unknown>;
}

export function optional<T>(value: T | undefined, check: (value: T) => unknown): void {
  if (value !== undefined) check(value);
}
