/** Where and why a JSON text is invalid. */
export interface JsonSyntaxError {
  /** 0-based offset of the offending character (the text's length for an unexpected end). */
  offset: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Finds the first syntax error of a JSON text (RFC 8259), for the errors whose message from
 * `JSON.parse` carries no position (V8 reports "Unexpected token" without one). Iterative, so deep
 * nesting cannot overflow the stack. Returns `undefined` when the text is valid.
 */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let index = 0;
  const stack: string[] = [];
  const fail = (reason: string, at = index): JsonSyntaxError => ({ offset: at, reason });
  const skipSpace = (): void => {
    while (index < text.length) {
      const char = text[index];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') break;
      index++;
    }
  };
  const readString = (): JsonSyntaxError | undefined => {
    const start = index;
    index++;
    while (index < text.length) {
      const char = text[index] as string;
      if (char === '"') {
        index++;
        return undefined;
      }
      if (char === '\\') {
        const escaped = text[index + 1];
        if (escaped === 'u') {
          if (!HEX4.test(text.slice(index + 2, index + 6))) return fail('invalid \\u escape in a string');
          index += 6;
        } else if (escaped !== undefined && ESCAPES.has(escaped)) {
          index += 2;
        } else {
          return fail('invalid escape in a string');
        }
        continue;
      }
      if (char.charCodeAt(0) < 0x20) return fail('bad control character in a string (escape it)');
      index++;
    }
    return fail('unterminated string', start);
  };
  const readKey = (): JsonSyntaxError | undefined => {
    skipSpace();
    if (text[index] !== '"') {
      return index >= text.length
        ? fail('unexpected end of the document')
        : fail('expected a double-quoted property name');
    }
    const error = readString();
    if (error) return error;
    skipSpace();
    if (text[index] !== ':') return fail("expected ':' after a property name");
    index++;
    return undefined;
  };
  const readScalar = (): JsonSyntaxError | undefined => {
    const char = text[index];
    if (char === '"') return readString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      if (!match || match[0] === '-') return fail('invalid number');
      index += match[0].length;
      return undefined;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, index)) {
        index += literal.length;
        return undefined;
      }
    }
    if (char === undefined) return fail('unexpected end of the document');
    if (/[a-zA-Z]/.test(char))
      return fail('invalid literal (expected true, false, null, a number or a string)');
    return fail(`unexpected character ${JSON.stringify(char)}`);
  };

  for (;;) {
    // A value starts here.
    skipSpace();
    const char = text[index];
    if (char === '{' || char === '[') {
      index++;
      skipSpace();
      const close = char === '{' ? '}' : ']';
      if (text[index] === close) {
        index++;
      } else {
        stack.push(char);
        if (char === '{') {
          const error = readKey();
          if (error) return error;
        }
        continue;
      }
    } else {
      const error = readScalar();
      if (error) return error;
    }
    // After a value: close containers until one expects another member.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) {
        return index < text.length ? fail('unexpected text after the document') : undefined;
      }
      const next = text[index];
      if (next === ',') {
        index++;
        if (top === '{') {
          const error = readKey();
          if (error) return error;
        }
        break;
      }
      if ((top === '{' && next === '}') || (top === '[' && next === ']')) {
        index++;
        stack.pop();
        continue;
      }
      if (next === undefined) return fail('unexpected end of the document');
      return fail(
        top === '{'
          ? "expected ',' or '}' after a property value"
          : "expected ',' or ']' after an array item",
      );
    }
  }
}
