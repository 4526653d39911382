// FieldPath and FieldErrors: the dotted paths ValidationError.fieldErrors names, typed for a request
// body. The type assertions are checked by `tsc --noEmit` (this file is in the project); the
// runtime half checks that a real error's fieldErrors can be read through them.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ValidationError, type FieldErrors, type FieldPath } from '../../src/index.ts';
import type { DocumentUploadRequest, ProfileCreateRequest, WebhookEndpointCreateRequest } from '../../src/types.ts';

interface Page {
  type: string;
  index?: number;
}
interface Order {
  customer: { name: string; address?: { city: string } | null };
  pages: Page[];
  tags?: string[];
}

describe('FieldPath', () => {
  it('names nested objects with dots, list items with [n], and non_field_errors at each level', () => {
    expectTypeOf<FieldPath<Order>>().toEqualTypeOf<
      | 'non_field_errors'
      | 'customer'
      | 'customer.non_field_errors'
      | 'customer.name'
      | 'customer.address'
      | 'customer.address.non_field_errors'
      | 'customer.address.city'
      | 'pages'
      | `pages[${number}]`
      | `pages[${number}].non_field_errors`
      | `pages[${number}].type`
      | `pages[${number}].index`
      | 'tags'
      | `tags[${number}]`
    >();
  });

  it("covers the API's request bodies: a profile's address, a webhook's events, an upload's pages (files end a path)", () => {
    expectTypeOf<'address.city'>().toExtend<FieldPath<ProfileCreateRequest>>();
    expectTypeOf<'enabled_events[1]'>().toExtend<FieldPath<WebhookEndpointCreateRequest>>();
    expectTypeOf<'pages[0]'>().toExtend<FieldPath<DocumentUploadRequest>>();
    expectTypeOf<'adress.city'>().not.toExtend<FieldPath<ProfileCreateRequest>>();
    expectTypeOf<'pages[0].size'>().not.toExtend<FieldPath<DocumentUploadRequest>>();
  });

  it('a ValidationError.fieldErrors reads through FieldErrors of the body', () => {
    const error = new ValidationError({
      status: 400,
      method: 'POST',
      path: '/api/v2/profile',
      body: { address: { city: ['This field is required.'] }, non_field_errors: ['Mismatch.'] },
    });
    const errors: FieldErrors<ProfileCreateRequest> = error.fieldErrors;
    expectTypeOf(errors['address.city']).toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error a path the body does not have
    expect(errors['adress.city']).toBeUndefined();
    expect(errors['address.city']).toEqual(['This field is required.']);
    expect(errors.non_field_errors).toEqual(['Mismatch.']);
  });
});
