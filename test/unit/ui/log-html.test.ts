import { describe, expect, test } from 'vitest';
import { plainStyle, renderLog } from '../../../src/ui/log/log-html.js';

const render = (text: string | Buffer, final = true): string => renderLog(Buffer.from(text), plainStyle(), final).html;

describe('log bytes as HTML', () => {
  test('markup in the output is escaped, never passed on', () => {
    expect(render('<script>alert("x")</script> & <img src=x onerror=alert(1)>\n')).toBe(
      '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;img src=x onerror=alert(1)&#62;\n',
    );
  });

  test('SGR colours become classed spans; other escapes are dropped; controls are shown as pictures', () => {
    expect(render('\u001b[1;31mred\u001b[0m plain')).toBe('<span class="a-f1 a-bold">red</span> plain');
    expect(render('a\u001b[2K\u001b[1Gb\u001b]0;title\u0007c\u001b]8;;http://x\u001b\\d')).toBe('abcd');
    expect(render('bell\u0007 nul\u0000 esc\u001b\n del\u007f tab\tend')).toBe('bell␇ nul␀ esc␛\n del␡ tab\tend');
    expect(render('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  test('bytes that are not UTF-8 show as U+FFFD', () => {
    expect(render(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3]))).toBe('a\ufffd\ufffdb\ufffd');
  });

  test('a character or escape cut off at the end is held back unless final, so offsets resume exactly', () => {
    const euro = Buffer.from('ok €', 'utf8');
    const cut = renderLog(euro.subarray(0, euro.length - 1), plainStyle(), false);
    expect(cut).toEqual({ html: 'ok ', consumed: 3 });
    expect(renderLog(Buffer.from('x\u001b[3'), plainStyle(), false)).toEqual({ html: 'x', consumed: 1 });
    expect(renderLog(Buffer.from('x\r'), plainStyle(), false)).toEqual({ html: 'x', consumed: 1 });
    expect(renderLog(Buffer.from('x\u001b[3'), plainStyle(), true).consumed).toBe(4);
  });

  test('rendering in pieces at every split gives what rendering at once gives', () => {
    const whole = Buffer.from('α\u001b[32mgreen β\u001b[0m\r\n<b>\u001b]0;t\u0007 ok €\n', 'utf8');
    const once = renderLog(whole, plainStyle(), true).html.replace(/<\/?span[^>]*>/g, '');
    for (let split = 0; split <= whole.length; split++) {
      const style = plainStyle();
      const first = renderLog(whole.subarray(0, split), style, false);
      const second = renderLog(whole.subarray(first.consumed), style, true);
      expect((first.html + second.html).replace(/<\/?span[^>]*>/g, ''), `split at ${split}`).toBe(once);
    }
  });
});
