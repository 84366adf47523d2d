"""The pack's glossary: one Kazakh and one Russian term per concept, and the variants the
documents must not use.

Every document of a pack names a concept the same way in a language, so that the Kazakh and
Russian versions say the same things and an officer, an auditor or the Agency finds a term
where they look for it. The terms are those of the acts the pack applies: the Labour Code and
the Law «On combating corruption» (art. 1: «жұмыскер» / «работник», «лауазымды адам»,
«мемлекеттік функцияларды орындауға уәкілеттік берілген адамдарға теңестірілген адамдар»),
the model regulation on compliance services (Agency order № 112 of 31.03.2023) and the
Agency's guide to the projects of typical basic direction № 4 («"нөлдік" төзімділік»).

:data:`GLOSSARY` is the list a template author reads (README «Glossary» points to it);
:func:`glossary_problems` finds a variant in a text. The test of the pack reads every
generated document through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One concept: its Kazakh and Russian term, and the variants to avoid in each language
    as regular expressions (case-insensitive; a variant that is right in another sense, such
    as «сотрудники правоохранительных органов», is excluded by a lookahead)."""

    kk: str
    ru: str
    avoid_kk: tuple[str, ...] = field(default_factory=tuple)
    avoid_ru: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""


GLOSSARY: tuple[Term, ...] = (
    Term("сыбайлас жемқорлық", "коррупция"),
    Term("сыбайлас жемқорлық құқық бұзушылық", "коррупционное правонарушение"),
    Term("сыбайлас жемқорлыққа қарсы комплаенс-қызмет", "антикоррупционная комплаенс-служба",
         avoid_kk=(r"комплаенс қызмет",), avoid_ru=(r"комплаенс служб",)),
    Term("комплаенс-офицер", "комплаенс-офицер"),
    Term("мүдделер қақтығысы", "конфликт интересов", avoid_kk=(r"мүдде қайшылығ",)),
    Term("сыбайлас жемқорлық тәуекелдеріне ішкі талдау", "внутренний анализ коррупционных рисков"),
    Term("сыбайлас жемқорлыққа қарсы іс-қимыл жөніндегі уәкілетті орган",
         "уполномоченный орган по противодействию коррупции"),
    Term("квазимемлекеттік сектор субъектісі", "субъект квазигосударственного сектора"),
    Term("мемлекеттік функцияларды орындауға уәкілеттік берілген адамдарға теңестірілген адамдар",
         "лица, приравненные к лицам, уполномоченным на выполнение государственных функций",
         avoid_kk=(r"теңестірілген тұлға",),
         note="the Law, art. 1: «адам», not «тұлға»"),
    Term("лауазымды адам", "должностное лицо", avoid_kk=(r"лауазымды тұлға",)),
    Term("сыбайлас жемқорлыққа қарсы шектеулер", "антикоррупционные ограничения"),
    Term("сыйлық", "подарок"),
    Term("қонақжайлылық (қонақжайлылық таныту)", "представительское гостеприимство"),
    Term("жекжаттар", "свойственники"),
    Term("директорлар кеңесі", "совет директоров"),
    Term("байқау кеңесі", "наблюдательный совет"),
    Term("хаттама", "протокол"),
    Term("танысу журналы", "журнал ознакомления", avoid_kk=(r"таныстыру журнал",)),
    Term("бұйрық", "приказ"),
    Term("қосымша", "приложение"),
    Term("БЕКІТІЛДІ", "УТВЕРЖДЕН(О)"),
    Term("жұмыскер", "работник",
         avoid_kk=(r"қызметкер",),
         avoid_ru=(r"сотрудник(?!\w*\s+правоохранительн)",),
         note="the Labour Code's term for the organization's employees; «сотрудники правоохранительных "
              "органов» are not the organization's employees"),
    Term("«нөлдік» төзімділік", "«нулевая» терпимость",
         avoid_kk=(r"мүлдем төзбеуші",), avoid_ru=(r"абсолютн\w* нетерпимост",),
         note="the Agency's guide; «төзбеушілік» / «нетерпимость к коррупции» is a different notion"),
    Term("басшылықтың үлгісі", "пример руководства",
         avoid_kk=(r"жоғарыдан берілетін үн",), avoid_ru=(r"тон сверху",),
         note="no calque of «tone at the top»"),
    Term("нысан", "форма"),
)
"""The terms, in the order of the glossary of the pack's specification (kk ↔ ru)."""


def glossary_problems(text: str, lang: str) -> list[tuple[str, str, str]]:
    """The variants of :data:`GLOSSARY` in ``text`` (a document's text in ``lang``, "kk" or
    "ru") as ``(found, term, context)``: the words found, the term to use instead, and up to
    40 characters around them; [] when the text keeps to the glossary."""
    out = []
    for term in GLOSSARY:
        for pattern in term.avoid_kk if lang == "kk" else term.avoid_ru:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                context = text[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
                out.append((m.group(0), term.kk if lang == "kk" else term.ru, context))
    return out
