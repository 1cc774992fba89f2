import 'reflect-metadata';
import { AllowsLineBreaks, refusedTextFields } from './text-input';

class Inner {
  @AllowsLineBreaks()
  notes?: string;
  name?: string;
}

class Outer {
  @AllowsLineBreaks()
  prompt?: string;
  title?: string;
  inner?: Inner;
  tags?: string[];
}

const make = <T extends object>(type: new () => T, values: Partial<T>): T => Object.assign(new type(), values);

describe('refusedTextFields', () => {
  it('names each field holding a control character, by its path', () => {
    const value = make(Outer, { title: 'a\u0000b', inner: make(Inner, { name: 'x\u001by' }), tags: ['ok', 'bad\u007f'] });
    expect(refusedTextFields(value, '')).toEqual({
      title: ['title must not contain control characters'],
      'inner.name': ['inner.name must not contain control characters'],
      'tags.1': ['tags.1 must not contain control characters'],
    });
  });

  it('allows tab and line breaks only where the class says so, never other control characters', () => {
    expect(refusedTextFields(make(Outer, { prompt: 'a\n\tb\r\n', inner: make(Inner, { notes: 'x\ny' }) }), '')).toEqual({});
    expect(refusedTextFields(make(Outer, { title: 'a\nb' }), '')).toEqual({ title: ['title must not contain control characters'] });
    expect(refusedTextFields(make(Outer, { prompt: 'a\u0000b' }), '')).toEqual({ prompt: ['prompt must not contain control characters other than tab and line breaks'] });
  });

  it('checks plain values: a parameter, a query object, field names', () => {
    expect(refusedTextFields('abc\u0000', 'id')).toEqual({ id: ['id must not contain control characters'] });
    expect(refusedTextFields({ q: 'two\nlines', limit: 5 }, '')).toEqual({ q: ['q must not contain control characters'] });
    expect(Object.keys(refusedTextFields({ 'a\u0000': 1 }, 'body'))).toEqual(['body']);
  });

  it('refuses half of a surrogate pair (no UTF-8 form), keeps whole pairs', () => {
    expect(refusedTextFields({ a: 'x\ud800', b: '\udc00y', c: '🎹', d: '\ud83c\udfb9' }, '')).toEqual({
      a: ['a must be valid Unicode text (it holds half of a surrogate pair)'],
      b: ['b must be valid Unicode text (it holds half of a surrogate pair)'],
    });
    expect(refusedTextFields(make(Outer, { prompt: 'line\n\ud800' }), '')).toEqual({ prompt: ['prompt must be valid Unicode text (it holds half of a surrogate pair)'] });
  });

  it('passes text without control characters, and values that are not text', () => {
    expect(refusedTextFields({ a: '피아노 🎹 "q" \\', b: 1, c: null, d: true, e: Buffer.from([0]), f: new Date(0) }, '')).toEqual({});
  });
});
