import { isUuid } from './uuid';

describe('isUuid', () => {
  it('accepts the 8-4-4-4-12 hex form, in either case', () => {
    expect(isUuid('0b6e8f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6b')).toBe(true);
    expect(isUuid('0B6E8F2A-3C1D-4E5F-9A7B-1C2D3E4F5A6B')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of ['', '0b6e8f2a3c1d4e5f9a7b1c2d3e4f5a6b', '0b6e8f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6', '0b6e8f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6bx', 'g b6e8f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6b', '../0b6e8f2a-3c1d-4e5f-9a7b-1c2d3e4f5a6b'])
      expect(isUuid(value)).toBe(false);
  });
});
