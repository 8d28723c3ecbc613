"""The words that name a column's role, and that say a table is about HTTP status codes.

One vocabulary for every format and language.  Header words are evidence,
never proof: the cells have the last word (`statusdocs.tables.roles`), since a
"Meaning" column may hold reason phrases and an "Error Code" column 404s.
"""

from __future__ import annotations

import re

from ..columns import HeaderRole

# Checked in this order, so "Suggested action details" is an action and "Retryable" a retry.
HEADER_WORDS: dict[HeaderRole, tuple[str, ...]] = {
    "retry": (
        "retry?",
        "retryable",
        "retriable",
        "retry",
        "idempotent",
        "可重试",
        "重试",
        "重試",
        "可重試",
        "リトライ",
        "재시도",
        "wiederholbar",
        "reintentable",
        "réessayable",
    ),
    "action": (
        "action",
        "recovery",
        "what to do",
        "solution",
        "handling",
        "remedy",
        "resolution",
        "suggestion",
        "建议",
        "建議",
        "处理",
        "處理",
        "解决",
        "解決",
        "措施",
        "対処",
        "対応",
        "対策",
        "해결",
        "조치",
        "maßnahme",
        "lösung",
        "acción",
        "solución",
        "ação",
        "solução",
        "действие",
        "решение",
        "azione",
        "soluzione",
    ),
    "description": (
        "description",
        "definition",
        "meaning",
        "information",
        "info",
        "detail",
        "details",
        "explanation",
        "notes",
        "note",
        "remarks",
        "comment",
        "comments",
        "说明",
        "說明",
        "描述",
        "含义",
        "含義",
        "解释",
        "解釋",
        "意味",
        "説明",
        "内容",
        "설명",
        "의미",
        "beschreibung",
        "bedeutung",
        "erklärung",
        "descripción",
        "significado",
        "signification",
        "explication",
        "descrição",
        "описание",
        "значение",
        "descrizione",
        "significato",
    ),
    "name": (
        "name",
        "message",
        "title",
        "text",
        "reason",
        "phrase",
        "名称",
        "名稱",
        "消息",
        "标题",
        "標題",
        "名前",
        "メッセージ",
        "이름",
        "메시지",
        "nom",
        "nombre",
        "nome",
        "bezeichnung",
        "meldung",
        "название",
        "сообщение",
        "messaggio",
    ),
    "code": (
        "status",
        "statuscode",
        "状态码",
        "狀態碼",
        "状态",
        "狀態",
        "返回码",
        "返回碼",
        "响应码",
        "響應碼",
        "回應碼",
        "ステータスコード",
        "ステータス",
        "상태 코드",
        "상태코드",
        "상태",
        "statut",
        "code d'état",
        "código de estado",
        "código de status",
        "código",
        "код состояния",
        "код ответа",
        "статус",
        "codice di stato",
        "stato",
        "http",
    ),
}
# Headers that name a column of codes without saying which codes.
WEAK_CODE_WORDS = (
    "code", "codes", "value", "代码", "代碼", "码", "コード", "코드", "wert", "valeur",
    "valor", "код", "codice", "code http",
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+\??")
_HTTP = re.compile(r"http(?![a-z])", re.IGNORECASE)
# A heading, caption or lead-in that says the table lists HTTP status codes.
_STATUS_WORDS = (
    r"status[\s-]*codes?|http[\s-]*(?:status|code|response|error)|response[\s-]*(?:codes?|status)"
    r"|return(?:ed)?[\s-]*codes?|状态码|狀態碼|返回码|返回碼|响应码|回應碼|ステータスコード"
    r"|상태\s*코드|statuscodes?|codes? d'état|códigos? de (?:estado|status|respuesta)"
    r"|коды? (?:состояния|ответа)|codici di stato"
)
STATUS_CONTEXT = re.compile(_STATUS_WORDS + "|http", re.IGNORECASE)
# A sentence leading into a table says so in as many words: "HTTP" alone is not enough there.
STATUS_LEAD_IN = re.compile(_STATUS_WORDS, re.IGNORECASE)
# Other protocols whose reply codes look like HTTP's: a table under their name is theirs.
OTHER_PROTOCOL = re.compile(r"\b(?:SIP|SMTP|ESMTP|LMTP|FTP|FTPS|RTSP|NNTP|IMAP|POP3|LDAP)\b")
# A heading that says the codes are an application's own, not HTTP's.
APP_CODE_CONTEXT = re.compile(
    r"(?:application|app|business|internal|custom|package|module|sdk|library|program)[\s-]*"
    r"(?:specific[\s-]*)?(?:error|result|return)[\s-]*codes?"
    r"|业务错误码|業務錯誤碼|应用错误码|错误码列表|エラーコード一覧|exit[\s-]*codes?",
    re.IGNORECASE,
)
# Words of requests and responses: a description column that uses them is about HTTP.
HTTP_VOCABULARY = re.compile(
    r"\b(?:request|response|server|client|resource|header|redirect|authenticat\w*|"
    r"authoriz\w*|permission|forbidden|not found|timeout|timed out|url|uri|method|payload|"
    r"entity|content|rate limit|throttl\w*|retry|anfrage|serveur|requête|solicitud|"
    r"servidor|recurso|запрос|сервер)\b|请求|請求|服务器|伺服器|資源|资源|リクエスト|サーバー|"
    r"요청|서버",
    re.IGNORECASE,
)
# The names of the five classes, as headings above a table of that class's codes say them.
CLASS_WORDS: dict[int, re.Pattern[str]] = {
    digit: re.compile(pattern, re.IGNORECASE)
    for digit, pattern in {
        1: r"\binformation(?:al|s)?\b|\binfo\b|信息|資訊|情報|정보|informativ",
        2: r"\bsuccess(?:ful)?\b|\bsucc[eè]s\b|\berfolg|\b[ée]xito|\bsucesso|成功|성공|успе",
        3: r"\bredirect(?:ion|s)?\b|\bumleitung|\bredirecci[oó]n|\bredirecionamento"
        r"|重定向|リダイレクト|리다이렉션|перенаправлен",
        4: r"\bclient\b|\bclients?[\s-]*(?:side|error)|\bcliente?s?\b|客户端|用戶端|クライアント"
        r"|클라이언트|клиент",
        5: r"\bserver\b|\bserveur\b|\bservidor\b|服务器|服务端|伺服器|サーバ|서버|сервер",
    }.items()
}
# How a sentence ends; a name (a reason phrase, a label) does not end so.
SENTENCE_ENDS = (".", "。", "!", "！", "?", "？")


def ends_like_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does: "The token expired."."""
    return text.rstrip().endswith(SENTENCE_ENDS)


def starts_like_sentence(text: str) -> bool:
    """Whether `text` begins as a sentence in lower case does: "the request worked".

    A name is not written in lower case from its first word; a short "not found"
    or a symbol (":ok") may be, so it takes three words.
    """
    words = text.split()
    return len(words) >= 3 and words[0][:1].islower() and words[0][:1].isascii()


# Words of English sentences that reason phrases do not use: short English text that
# has them describes ("Request was OK", "Authentication of the request failed").
ENGLISH_SENTENCE = re.compile(
    r"\b(?:was|is|are|were|has|have|had|been|be|the|an|of|to|for|with|from|your|you|we|our|"
    r"this|that|failed|could|cannot|can't|does|did|will|must|should|when|if)\b",
    re.IGNORECASE,
)
# Cell values that say nothing yet: a name of "TBD" is no name.
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "todo", "fixme", "n/a", "na", "-", "--", "—", "–", "?", "...", "…", "xxx",
     "未定", "待定"}
)  # fmt: skip
# Application identifiers, not reason phrases: `ERR_UNKNOWN`, `NOT_FOUND`, `SCHEDULED`.
IDENTIFIER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,}|[a-z]+(?:_[a-z0-9]+)+")
# The values of a retry column: yes, no, and neither.
YES = frozenset(
    {"yes", "y", "true", "✓", "✔", "是", "はい", "예", "ja", "oui", "sí", "si", "sim", "да",
     "retryable"}
)  # fmt: skip
NO = frozenset(
    {"no", "n", "false", "✗", "✘", "x", "-", "否", "いいえ", "아니요", "nein", "non", "não", "нет",
     "not retryable"}
)  # fmt: skip
YES_NO = YES | NO | {"maybe", "sometimes", "depends"}


def header_role(header: str) -> HeaderRole | None:
    """The role a header names, if any: "Status Code" is code, "Message Title" is name."""
    lowered = " ".join(header.lower().split())
    if not lowered:
        return None
    words = set(_WORD.findall(lowered)) | {w.rstrip("?") for w in _WORD.findall(lowered)}
    for role, vocabulary in HEADER_WORDS.items():
        if any(_names(word, lowered, words) for word in vocabulary):
            return role
    if any(_names(word, lowered, words) for word in WEAK_CODE_WORDS):
        return "code"
    return None


def is_strong_code_header(header: str) -> bool:
    """Whether a header says its column holds status codes (not merely "Code" or "Value")."""
    lowered = " ".join(header.lower().split())
    words = set(_WORD.findall(lowered))
    return bool(_HTTP.search(lowered)) or any(
        _names(word, lowered, words) for word in HEADER_WORDS["code"]
    )


def mentions_http(text: str) -> bool:
    """Whether `text` has the word HTTP in it (also glued to other scripts: "HTTP状态码")."""
    return bool(_HTTP.search(text))


def _names(word: str, lowered: str, words: set[str]) -> bool:
    if word.isascii() and " " not in word and "'" not in word:
        return word in words
    return word in lowered
