"""The catalogue: which documents a pack has, their ids, titles, numbers, templates, forms.

The order of the catalogue is the order of the documents in the README's table; a document's number
(``NN`` of its file name) is its position, the order being 01; the order approves the other
documents as its annexes 1, 2, … (annex = number − 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

REPEAT_COUNTS = {"events": 12, "quarters": 4}
"""How many items a repeated part has: 12 training events (one a month: the Agency's guide to
the projects of typical basic direction № 4, project group 4, task 9), 4 quarters."""


@dataclass(frozen=True)
class Part:
    """A part of a document rendered as a file of its own: ``name`` is the file stem inside
    the document's folder, ``template`` the template id, ``repeat`` the context list it is
    rendered once per item of (``events`` → one protocol per training event)."""

    name: str
    template: str
    repeat: str | None = None


@dataclass(frozen=True)
class Document:
    """One document of the pack.

    ``forms`` are the file kinds written ("docx", "xlsx"); ``approved_ru`` is the Russian
    approval word agreeing with the document's gender (УТВЕРЖДЕН/-А/-О); ``parts`` makes the
    document a folder of several files.

    ``approval`` says how the document comes into force (one way only, never two stacked):
    ``annex`` — approved by the order (file 01) as its annex «Приложение N … УТВЕРЖДЕН(А)» /
    «N-қосымша … БЕКІТІЛДІ»; ``form`` — a form the order approves as its annex, filled in
    later («Форма» / «Нысан»; the quarterly information and yearly report of the compliance
    service, model regulation on compliance services, Agency order № 112 of 31.03.2023,
    chapter 3 «reporting»); ``own`` — a document that comes into being after the order and
    is signed or approved on its own date (the internal analysis of corruption risks: the
    head's order of its start, the analytical note and the elimination plan approved by the
    head; model rules of internal analysis of corruption risks, order № 12 of 19.10.2016),
    not an annex of the order. ``annex`` is the annex number in the order (None for the
    order and for ``own`` documents): the annexes and forms are numbered 1, 2, … in
    catalogue order.
    ``order_title_kk``/``order_title_ru`` name the annex in the order when the title does not.
    """

    id: str
    number: int
    title_kk: str
    title_ru: str
    forms: tuple[str, ...] = ("docx",)
    approved_ru: str = "УТВЕРЖДЕН"
    parts: tuple[Part, ...] = field(default_factory=tuple)
    approval: str = "annex"
    annex: int | None = None
    order_title_kk: str = ""
    order_title_ru: str = ""

    def files(self) -> list[str]:
        """The document's files relative to a language folder, e.g. ``03-policy.docx`` or
        ``07-training_schedule/protocol-01.docx`` (repeated parts numbered from 1), docx
        before xlsx."""
        if not self.parts:
            stems = [self.stem]
        else:
            stems = []
            for p in self.parts:
                names = ([p.name.format(n=n) for n in range(1, REPEAT_COUNTS[p.repeat] + 1)]
                         if p.repeat else [p.name])
                stems.extend(f"{self.stem}/{name}" for name in names)
        return [f"{stem}.{form}" for stem in stems for form in self.forms]

    def describe_parts(self) -> str:
        """«schedule, 12 × protocol-NN» for a document of parts; "" for a single file."""
        return ", ".join(f"{REPEAT_COUNTS[p.repeat]} × {p.name.split('-{')[0]}" if p.repeat else p.name
                         for p in self.parts)

    @property
    def stem(self) -> str:
        """``NN-id``: the file (or folder) name without extension."""
        return f"{self.number:02d}-{self.id}"

    def title(self, lang: str, year: int) -> str:
        """The title in ``lang``, with the plan year filled in."""
        return (self.title_kk if lang == "kk" else self.title_ru).format(year=year)

    def approved(self, lang: str) -> str:
        """The word that ends the document's approval block: БЕКІТІЛДІ or the Russian
        approval word agreeing with it; Нысан / Форма for a form."""
        if self.approval == "form":
            return FORM_WORD[lang]
        return "БЕКІТІЛДІ" if lang == "kk" else self.approved_ru

    def order_title(self, lang: str, year: int) -> str:
        """How the order names this annex: the title, or for a form «Forms of …»."""
        own = self.order_title_kk if lang == "kk" else self.order_title_ru
        return own.format(year=year) if own else self.title(lang, year)


FORM_WORD = {"kk": "Нысан", "ru": "Форма"}
"""The word above a form approved by the order, where an approved document has УТВЕРЖДЕН."""


_DOCUMENTS = [
    ("order", "Сыбайлас жемқорлыққа қарсы іс-қимыл жөніндегі ішкі құжаттарды бекіту туралы бұйрық",
     "Приказ об утверждении внутренних документов по противодействию коррупции", {}),
    ("compliance_regulation", "Сыбайлас жемқорлыққа қарсы комплаенс-қызмет туралы ереже",
     "Положение об антикоррупционной комплаенс-службе", {"approved_ru": "УТВЕРЖДЕНО"}),
    ("policy", "Сыбайлас жемқорлыққа қарсы іс-қимылдың ішкі саясаты",
     "Внутренняя политика противодействия коррупции (Антикоррупционная политика)",
     {"approved_ru": "УТВЕРЖДЕНА"}),
    ("instruction", "Жұмыскерлерге арналған сыбайлас жемқорлыққа қарсы іс-қимыл жөніндегі нұсқаулық",
     "Инструкция по противодействию коррупции для работников", {"approved_ru": "УТВЕРЖДЕНА"}),
    ("coi_policy", "Мүдделер қақтығысын анықтау және реттеу саясаты",
     "Политика выявления и урегулирования конфликта интересов", {"approved_ru": "УТВЕРЖДЕНА"}),
    ("action_plan", "Сыбайлас жемқорлыққа қарсы іс-қимыл мәселелері жөніндегі {year} жылға арналған ішкі "
                    "іс-шаралар жоспары",
     "Внутренний план мероприятий по вопросам противодействия коррупции на {year} год",
     {"forms": ("docx", "xlsx")}),
    ("training_schedule", "Түсіндіру және оқыту іс-шараларының кестесі және іс-шара хаттамасының нысаны",
     "График разъяснительных и обучающих мероприятий и форма протокола мероприятия",
     {"parts": (Part("schedule", "training_schedule"),
                Part("protocol-{n:02d}", "training_protocol", repeat="events"))}),
    ("acknowledgement_journal", "Құжаттармен танысу журналы", "Журнал ознакомления с документами",
     {"forms": ("docx", "xlsx")}),
    ("restrictions", "Сыбайлас жемқорлыққа қарсы шектеулерді қабылдау туралы міндеттеме және журнал",
     "Обязательство и журнал принятия антикоррупционных ограничений",
     {"forms": ("docx", "xlsx"), "approved_ru": "УТВЕРЖДЕНЫ"}),
    ("reports_register", "Сыбайлас жемқорлық құқық бұзушылықтар туралы хабарламаларды тіркеу журналы",
     "Журнал регистрации сообщений о коррупционных правонарушениях", {"forms": ("xlsx",)}),
    ("reporting_procedure", "Жұмыскерлердің сыбайлас жемқорлыққа қарсы заңнаманы бұзу фактілері туралы "
                            "хабардар ету тәртібі",
     "Порядок информирования работниками о фактах нарушения антикоррупционного законодательства", {}),
    ("ethics_code", "Корпоративтік әдеп және мінез-құлық кодексі", "Кодекс корпоративной этики и поведения", {}),
    ("standard", "Сыбайлас жемқорлыққа қарсы стандарт", "Антикоррупционный стандарт", {}),
    ("risk_analysis", "Сыбайлас жемқорлық тәуекелдеріне ішкі талдау жүргізу: бұйрық, жұмыс тобы, кесте, "
                      "талдамалық анықтама, тәуекелдерді жою жоспары",
     "Внутренний анализ коррупционных рисков: приказ, рабочая группа, график, аналитическая справка, "
     "план устранения рисков",
     {"approved_ru": "УТВЕРЖДЕНЫ", "approval": "own",
      "parts": (Part("1-order", "risk_analysis_order"),
                Part("2-analytical_note", "risk_analysis_note"),
                Part("3-elimination_plan", "risk_elimination_plan"))}),
    ("compliance_report", "Комплаенс-қызметтің тоқсандық ақпараты және жылдық есебі",
     "Ежеквартальная информация и годовой отчёт комплаенс-службы",
     {"approval": "form",
      "order_title_kk": "Комплаенс-қызметтің тоқсандық ақпаратының және жылдық есебінің нысандары",
      "order_title_ru": "Формы ежеквартальной информации и годового отчёта комплаенс-службы",
      "parts": (Part("quarterly-{n}", "compliance_quarterly", repeat="quarters"),
                Part("yearly", "compliance_yearly"))}),
    ("risk_map", "Сыбайлас жемқорлық тәуекелдерінің картасы (картограммасы) және сыбайлас жемқорлық "
                 "тәуекелдеріне ұшыраған лауазымдардың тізбесі",
     "Карта (картограмма) коррупционных рисков и перечень должностей, подверженных коррупционным рискам",
     {"forms": ("docx", "xlsx"), "approved_ru": "УТВЕРЖДЕНА"}),
    ("equated_positions", "Мемлекеттік функцияларды орындауға уәкілеттік берілген адамдарға теңестірілген "
                          "адамдардың лауазымдарының тізбесі",
     "Перечень должностей лиц, приравненных к лицам, уполномоченным на выполнение государственных функций",
     {}),
    ("gifts", "Сыйлық алу туралы хабарлама нысаны және алынған сыйлықтарды тіркеу журналы",
     "Форма уведомления о получении подарка и журнал регистрации полученных подарков",
     {"forms": ("docx", "xlsx"), "approval": "form",
      "order_title_kk": "Сыйлық алу туралы хабарламаның және алынған сыйлықтарды тіркеу журналының нысандары",
      "order_title_ru": "Формы уведомления о получении подарка и журнала регистрации полученных подарков"}),
    ("coi_forms", "Мүдделер қақтығысы бойынша нысандар: үміткердің туыстары туралы декларациясы, комиссия "
                  "мүшесінің мүдделер қақтығысының жоқтығы туралы өтініші, реттелген мүдделер қақтығыстары "
                  "туралы анықтама",
     "Формы по конфликту интересов: декларация кандидата о родственниках, заявление члена комиссии об "
     "отсутствии конфликта интересов, справка об урегулированных конфликтах интересов",
     {"approval": "form",
      "order_title_kk": "Мүдделер қақтығысы бойынша құжаттардың нысандары",
      "order_title_ru": "Формы документов по конфликту интересов",
      "parts": (Part("1-relatives_declaration", "coi_relatives_declaration"),
                Part("2-no_conflict_statement", "coi_no_conflict_statement"),
                Part("3-settled_certificate", "coi_settled_certificate"))}),
    ("training_tests", "Сыбайлас жемқорлыққа қарсы заңнама бойынша тестілеу материалдары: сұрақтар банкі, "
                       "тест парағы, нәтижелер ведомосы",
     "Материалы тестирования по антикоррупционному законодательству: банк вопросов, тестовый лист, "
     "ведомость результатов",
     {"approved_ru": "УТВЕРЖДЕНЫ",
      "parts": (Part("1-question_bank", "test_question_bank"),
                Part("2-test_sheet", "test_sheet"),
                Part("3-results", "test_results"))}),
    ("counterparties", "Контрагенттермен жасалатын шарттарға арналған сыбайлас жемқорлыққа қарсы ескертпе және "
                       "контрагенттерді тексерудің бақылау парағы",
     "Антикоррупционная оговорка для договоров с контрагентами и контрольный лист проверки контрагентов",
     {"approved_ru": "УТВЕРЖДЕНЫ",
      "parts": (Part("1-clause", "counterparty_clause"),
                Part("2-due_diligence", "counterparty_due_diligence"))}),
    ("officer_job_description", "Комплаенс-офицердің лауазымдық нұсқаулығы",
     "Должностная инструкция комплаенс-офицера", {"approved_ru": "УТВЕРЖДЕНА"}),
    ("proof_checklist", "Жобалық басқарудың ақпараттық жүйесіне енгізілетін растайтын құжаттардың тізбесі",
     "Перечень подтверждающих документов для внесения в информационную систему проектного управления",
     {"forms": ("docx", "xlsx")}),
]

def _catalogue() -> tuple[Document, ...]:
    """The documents in pack order, the annexes and forms of the order numbered 1, 2, …"""
    out, annex = [], 0
    for n, (i, kk, ru, extra) in enumerate(_DOCUMENTS, start=1):
        numbered = i != "order" and extra.get("approval", "annex") != "own"
        annex += numbered
        out.append(Document(id=i, number=n, title_kk=kk, title_ru=ru, annex=annex if numbered else None, **extra))
    return tuple(out)


CATALOGUE: tuple[Document, ...] = _catalogue()
BY_ID: dict[str, Document] = {d.id: d for d in CATALOGUE}


def select(only: list[str] | tuple[str, ...] | None) -> list[Document]:
    """The documents named by ``only`` (all when empty), in catalogue order.

    Raises KeyError with the unknown id when ``only`` names a document the catalogue has not.
    """
    if not only:
        return list(CATALOGUE)
    for doc_id in only:
        if doc_id not in BY_ID:
            raise KeyError(doc_id)
    return [d for d in CATALOGUE if d.id in set(only)]


def count_files(only: list[str] | tuple[str, ...] | None, languages: list[str] | tuple[str, ...],
                suffix: str = "") -> int:
    """How many document files a pack of the documents ``only`` (all when empty) in
    ``languages`` has, only those ending in ``suffix`` when given (``"docx"``).
    Raises KeyError as :func:`select`."""
    return sum(1 for doc in select(only) for f in doc.files() if f.endswith(suffix)) * len(languages)
