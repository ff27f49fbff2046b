import { EN, type MessageKey } from './en.ts';
import { ZH_CN } from './zh-CN.ts';

export type Locale = 'en' | 'zh-CN';
export type { MessageKey };

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en: EN, 'zh-CN': ZH_CN };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Text in one language, `{name}` placeholders filled in (values are escaped where the text is put into HTML). */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, params) =>
    catalogue[key].replace(/\{(\w+)\}/g, (m, name: string) => (params && name in params ? String(params[name]) : m));
}

/** Human text for an Atlas errorCode, when the catalogue has one. */
export function errorText(locale: Locale, errorCode: string): string | null {
  const key = `errors.${errorCode}` as MessageKey;
  return key in CATALOGUES[locale] ? CATALOGUES[locale][key] : null;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

/** The first language of `Accept-Language` (by q) that we have: any `zh` → zh-CN; otherwise English. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  const ranges = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    if (r.tag === 'zh' || r.tag.startsWith('zh-')) return 'zh-CN';
    if (r.tag === 'en' || r.tag.startsWith('en-') || r.tag === '*') return 'en';
  }
  return 'en';
}
