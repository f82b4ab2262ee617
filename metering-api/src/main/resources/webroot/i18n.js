// Texts of the dashboard in English and Chinese; keys are used by data-i18n attributes and by dashboard.js.
window.LM_TEXT = {
  en: {
    "title": "LabMeter — instruments", "feed.connecting": "connecting", "feed.live": "live", "feed.down": "reconnecting",
    "signin.label": "This page needs an API token. Paste it here:", "signin.button": "Sign in",
    "signin.rejected": "The token was not accepted.",
    "count.total": "instruments", "count.alerts": "with alerts",
    "state.ACTIVE": "Active", "state.STANDBY": "Standby", "state.OFF": "Off", "state.FAULT": "Fault", "state.UNKNOWN": "Unknown",
    "filter.search": "Search name, id, model", "filter.all": "All states", "filter.alerts": "Alerts only", "filter.shown": "{n} of {total} shown",
    "col.instrument": "Instrument", "col.state": "State", "col.power": "Power", "col.spark": "Last hour", "col.today": "Today",
    "col.week": "This week", "col.coverage": "Coverage", "col.alerts": "Alerts", "col.start": "Start", "col.end": "End",
    "col.activeHours": "ACTIVE h", "col.session": "Session", "col.user": "User", "col.kind": "Kind", "col.effective": "Effective h",
    "col.grade": "Grade", "col.notes": "Notes",
    "foot.fleet": "Live state is read from the newest telemetry every second. Hours and utilisation come from the daily ledger (UTC days, week from Monday), refreshed every few minutes; coverage is the share of ACTIVE time backed by signed telemetry.",
    "alert.NO_DATA": "no data", "alert.STALE": "offline / stale", "alert.LOW_TELEMETRY_COVERAGE": "telemetry gaps",
    "alert.LOW_EVIDENCE_COVERAGE": "low evidence",
    "since": "since {t}", "ago": "{t} ago", "nav.back": "← All instruments", "range.day": "Day", "range.week": "Week",
    "i.power": "Power", "i.runs": "Runs (from telemetry)", "i.sessions": "Sessions (bookings and records)", "i.gaps": "Evidence gaps",
    "i.active": "ACTIVE hours", "i.verified": "verified ACTIVE h", "i.coverage": "evidence coverage", "i.unknown": "unknown h",
    "i.effective": "effective h", "i.external": "external h", "i.unbooked": "unbooked h", "i.noGaps": "None: every ACTIVE second is covered by signed telemetry.",
    "i.none": "none", "i.noPower": "Power is shown for the last 24 hours only.", "noShow": "no-show", "overrun": "overrun {m} min",
    "clipped": "clipped"
  },
  zh: {
    "title": "LabMeter — 仪器运行", "feed.connecting": "连接中", "feed.live": "实时", "feed.down": "重新连接中",
    "signin.label": "此页面需要 API 令牌，请粘贴：", "signin.button": "登录", "signin.rejected": "令牌未被接受。",
    "count.total": "台仪器", "count.alerts": "有告警",
    "state.ACTIVE": "运行", "state.STANDBY": "待机", "state.OFF": "关机", "state.FAULT": "故障", "state.UNKNOWN": "未知",
    "filter.search": "搜索名称、编号、型号", "filter.all": "全部状态", "filter.alerts": "仅告警", "filter.shown": "显示 {n} / {total}",
    "col.instrument": "仪器", "col.state": "状态", "col.power": "功率", "col.spark": "近一小时", "col.today": "今日",
    "col.week": "本周", "col.coverage": "证据覆盖", "col.alerts": "告警", "col.start": "开始", "col.end": "结束",
    "col.activeHours": "运行机时", "col.session": "记录", "col.user": "用户", "col.kind": "类型", "col.effective": "有效机时",
    "col.grade": "等级", "col.notes": "备注",
    "foot.fleet": "实时状态每秒从最新遥测读取。机时与利用率来自每日台账（UTC 日，周从周一开始），每隔几分钟更新；证据覆盖为有签名遥测支持的运行时间占比。",
    "alert.NO_DATA": "无数据", "alert.STALE": "离线/数据过期", "alert.LOW_TELEMETRY_COVERAGE": "遥测缺失",
    "alert.LOW_EVIDENCE_COVERAGE": "证据不足",
    "since": "自 {t}", "ago": "{t}前", "nav.back": "← 全部仪器", "range.day": "日", "range.week": "周",
    "i.power": "功率", "i.runs": "运行段（遥测）", "i.sessions": "使用记录（预约与登记）", "i.gaps": "证据缺口",
    "i.active": "运行机时", "i.verified": "已验证运行机时", "i.coverage": "证据覆盖", "i.unknown": "未知机时",
    "i.effective": "有效机时", "i.external": "对外服务机时", "i.unbooked": "未预约运行机时", "i.noGaps": "无：所有运行时间均有签名遥测覆盖。",
    "i.none": "无", "i.noPower": "功率曲线仅显示最近 24 小时。", "noShow": "未到", "overrun": "超时 {m} 分钟",
    "clipped": "已截断"
  }
};
