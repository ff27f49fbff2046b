import type { Locale } from './index.ts';

/** Atlas's role names as its UI shows them, in both languages (the badge's title keeps the API name). */
const ROLE_NAMES: Record<string, [en: string, zh: string]> = {
  ORG_OWNER: ['Organization Owner', '组织所有者'],
  ORG_MEMBER: ['Organization Member', '组织成员'],
  ORG_GROUP_CREATOR: ['Organization Project Creator', '组织项目创建者'],
  ORG_BILLING_ADMIN: ['Organization Billing Admin', '组织账单管理员'],
  ORG_BILLING_READ_ONLY: ['Organization Billing Viewer', '组织账单查看者'],
  ORG_STREAM_PROCESSING_ADMIN: ['Organization Stream Processing Admin', '组织流处理管理员'],
  ORG_READ_ONLY: ['Organization Read Only', '组织只读'],
  GROUP_OWNER: ['Project Owner', '项目所有者'],
  GROUP_CLUSTER_MANAGER: ['Project Cluster Manager', '项目集群管理员'],
  GROUP_STREAM_PROCESSING_OWNER: ['Project Stream Processing Owner', '项目流处理所有者'],
  GROUP_DATA_ACCESS_ADMIN: ['Project Data Access Admin', '项目数据访问管理员'],
  GROUP_DATA_ACCESS_READ_WRITE: ['Project Data Access Read/Write', '项目数据访问读写'],
  GROUP_DATA_ACCESS_READ_ONLY: ['Project Data Access Read Only', '项目数据访问只读'],
  GROUP_DATABASE_ACCESS_ADMIN: ['Project Database Access Admin', '项目数据库访问管理员'],
  GROUP_BACKUP_MANAGER: ['Project Backup Manager', '项目备份管理员'],
  GROUP_OBSERVABILITY_VIEWER: ['Project Observability Viewer', '项目可观测性查看者'],
  GROUP_READ_ONLY: ['Project Read Only', '项目只读'],
  GROUP_SEARCH_INDEX_EDITOR: ['Project Search Index Editor', '项目搜索索引编辑者'],
  GROUP_USER_ADMIN: ['Project User Admin', '项目用户管理员'],
  GROUP_AUTOMATION_ADMIN: ['Project Automation Admin', '项目自动化管理员'],
  GROUP_BACKUP_ADMIN: ['Project Backup Admin', '项目备份管理员'],
  GROUP_MONITORING_ADMIN: ['Project Monitoring Admin', '项目监控管理员'],
};

export function roleName(role: string, locale: Locale): string {
  const names = ROLE_NAMES[role];
  return names ? names[locale === 'en' ? 0 : 1] : role;
}
