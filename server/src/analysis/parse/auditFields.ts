/**
 * The key=value fields of one Linux audit record, as Sigma's auditd rules name them: `type`,
 * `syscall`, `exe`, `comm`, `a0`…, `key`, `name`, `nametype`, the fields inside a user record's
 * `msg='…'`, and the enriched format's interpreted fields after the GS separator (`SYSCALL=execve`,
 * `UID="root"`). Untrusted strings that auditd wrote hex-encoded (`proctitle=2F62696E…`,
 * `a1=2F746D70…` in EXECVE) are decoded, their NULs (between arguments) read as spaces.
 */
export interface AuditRecord {
  type: string;
  /** `1783414661.335:485` from `msg=audit(1783414661.335:485):`; with `node`, what joins the records of one event. */
  event: string;
  node?: string;
  fields: Map<string, string>;
  /** The values that were hex in the line, decoded: keywords look for them too. */
  decoded: string[];
}

const GS = 0x1d;
const SPACE = 0x20;

/** Fields auditd writes hex-encoded when their text holds a blank, a quote or a control character. */
const ENCODED = new Set(['proctitle', 'cmd', 'comm', 'exe', 'name', 'cwd', 'path', 'data', 'key', 'acct', 'old', 'new', 'cmdline']);
const EXECVE_ARG = /^a\d+(?:\[\d+\])?$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

function isSeparator(code: number): boolean {
  return code === SPACE || code === GS || code === 0x1e || code === 0x09;
}

/** Decodes auditd's hex encoding as UTF-8 (Latin-1 where the bytes are not UTF-8); NULs become spaces. */
export function decodeAuditHex(hex: string): string {
  let escaped = '';
  for (let i = 0; i < hex.length; i += 2) {
    const pair = hex.slice(i, i + 2);
    escaped += pair === '00' ? ' ' : `%${pair}`;
  }
  try {
    return decodeURIComponent(escaped).trimEnd();
  } catch {
    let text = '';
    for (let i = 0; i < hex.length; i += 2) {
      const code = parseInt(hex.slice(i, i + 2), 16);
      text += code === 0 ? ' ' : String.fromCharCode(code);
    }
    return text.trimEnd();
  }
}

function shouldDecode(key: string, type: string): boolean {
  return ENCODED.has(key) || (type === 'EXECVE' && EXECVE_ARG.test(key));
}

/** Reads `key=value` pairs from `text[from, to)` into `fields`; a key already set keeps its first value. */
function readPairs(text: string, from: number, to: number, fields: Map<string, string>, type: () => string, decoded: string[]): void {
  let p = from;
  while (p < to) {
    while (p < to && isSeparator(text.charCodeAt(p))) p++;
    const keyStart = p;
    while (p < to && !isSeparator(text.charCodeAt(p)) && text.charCodeAt(p) !== 0x3d /* = */) p++;
    if (p >= to || text.charCodeAt(p) !== 0x3d) continue; // a bare word (`user`, `old`): not a field
    const key = text.slice(keyStart, p);
    p++;
    const quote = text.charCodeAt(p);
    let value: string;
    if (quote === 0x22 /* " */ || quote === 0x27 /* ' */) {
      const close = text.indexOf(String.fromCharCode(quote), p + 1);
      const end = close < 0 || close > to ? to : close;
      value = text.slice(p + 1, end);
      // A user record's msg='op=… acct="root" exe="/usr/bin/sudo" res=success' holds the fields that matter.
      if (quote === 0x27 && key === 'msg') readPairs(text, p + 1, end, fields, type, decoded);
      p = end + 1;
    } else {
      const start = p;
      while (p < to && !isSeparator(text.charCodeAt(p))) p++;
      value = text.slice(start, p);
      if (key === 'msg' && value.startsWith('audit(')) continue;
      if (HEX.test(value) && shouldDecode(key, key === 'type' ? '' : type())) {
        value = decodeAuditHex(value);
        decoded.push(value);
      }
    }
    if (key && !fields.has(key)) fields.set(key, value);
  }
}

/** Record types by number, for the kernel's own form (`audit: type=1300 audit(…)`), which prints no names. */
const TYPE_NAMES: Record<string, string> = {
  1006: 'LOGIN', 1100: 'USER_AUTH', 1101: 'USER_ACCT', 1103: 'CRED_ACQ', 1104: 'CRED_DISP', 1105: 'USER_START', 1106: 'USER_END',
  1110: 'CRED_REFR', 1112: 'USER_LOGIN', 1113: 'USER_LOGOUT', 1114: 'ADD_USER', 1115: 'DEL_USER', 1116: 'ADD_GROUP', 1117: 'DEL_GROUP',
  1123: 'USER_CMD', 1124: 'USER_TTY', 1130: 'SERVICE_START', 1131: 'SERVICE_STOP', 1300: 'SYSCALL', 1302: 'PATH', 1305: 'CONFIG_CHANGE',
  1306: 'SOCKADDR', 1307: 'CWD', 1309: 'EXECVE', 1319: 'TTY', 1320: 'EOE', 1327: 'PROCTITLE', 1330: 'KERN_MODULE', 1400: 'AVC',
  1701: 'ANOM_ABEND',
};

const KERNEL_PREFIX = 'audit: ';

/**
 * Reads an audit record from a message that starts with `type=` (or `node=HOST type=`) and carries
 * `msg=audit(STAMP:SERIAL):`, as audit.log, audispd and auditd's syslog plugin write it, or the
 * kernel's `audit: type=1300 audit(STAMP:SERIAL):` when no audit daemon runs. Undefined for any
 * other text.
 */
export function readAuditFields(text: string): AuditRecord | undefined {
  let p = 0;
  let node: string | undefined;
  const kernel = text.startsWith(KERNEL_PREFIX);
  if (kernel) p = KERNEL_PREFIX.length;
  else if (text.startsWith('node=')) {
    const space = text.indexOf(' ');
    if (space < 0) return undefined;
    node = text.slice(5, space);
    p = space + 1;
  }
  if (!text.startsWith('type=', p)) return undefined;
  const call = text.indexOf(kernel ? ' audit(' : ' msg=audit(', p);
  if (call < 0 || call > p + 80) return undefined;
  const open = text.indexOf('(', call);
  const close = text.indexOf(')', open);
  if (close < 0) return undefined;
  const event = text.slice(open + 1, close);
  const fields = new Map<string, string>();
  const decoded: string[] = [];
  if (kernel) {
    const number = text.slice(p + 5, call);
    fields.set('type', Object.hasOwn(TYPE_NAMES, number) ? TYPE_NAMES[number] : number);
    readPairs(text, close + 1, text.length, fields, () => fields.get('type') ?? '', decoded);
  } else readPairs(text, p, text.length, fields, () => fields.get('type') ?? '', decoded);
  const type = fields.get('type') ?? '';
  if (node !== undefined) fields.set('node', node);
  return { type, event, node, fields, decoded };
}
