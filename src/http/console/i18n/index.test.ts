import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EN } from './en.ts';
import { errorText, localeFromAcceptLanguage, translator } from './index.ts';
import { ZH_CN } from './zh-CN.ts';

test('Accept-Language: the highest-q language we have; any zh is Simplified Chinese; otherwise English', () => {
  assert.equal(localeFromAcceptLanguage(undefined), 'en');
  assert.equal(localeFromAcceptLanguage(''), 'en');
  assert.equal(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8'), 'zh-CN');
  assert.equal(localeFromAcceptLanguage('zh'), 'zh-CN');
  assert.equal(localeFromAcceptLanguage('en-US,en;q=0.9,zh-CN;q=0.8'), 'en');
  assert.equal(localeFromAcceptLanguage('fr-FR, zh-TW;q=0.5, en;q=0.4'), 'zh-CN');
  assert.equal(localeFromAcceptLanguage('en;q=0.2, zh;q=0.8'), 'zh-CN');
  assert.equal(localeFromAcceptLanguage('zh;q=0, de'), 'en');
  assert.equal(localeFromAcceptLanguage('de, fr'), 'en');
});

test('both catalogues have every key, none empty, with the same placeholders', () => {
  assert.deepEqual(Object.keys(ZH_CN).sort(), Object.keys(EN).sort());
  for (const [key, en] of Object.entries(EN)) {
    const zh = ZH_CN[key as keyof typeof EN];
    assert.ok(zh.trim() !== '', key);
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(zh), names(en), `${key}: placeholders differ`);
  }
});

test('placeholders are filled; Atlas error codes map to human text in both languages, unknown codes to none', () => {
  assert.equal(translator('en')('notice.invited', { user: 'a@b.co' }), 'Invitation sent to a@b.co.');
  assert.equal(translator('zh-CN')('notice.invited', { user: 'a@b.co' }), '已向 a@b.co 发送邀请。');
  assert.equal(errorText('en', 'USER_UNAUTHORIZED'), 'Your roles do not allow this action.');
  assert.equal(errorText('zh-CN', 'CANNOT_DEMOTE_LAST_ORG_OWNER'), '组织必须至少保留一名组织所有者。');
  assert.equal(errorText('en', 'NO_SUCH_CODE'), null);
});
