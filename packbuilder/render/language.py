"""Kazakh and Russian forms that no library gives: month forms, date phrases, the case
forms of an organization's names.

Sources: the date forms of Kazakh and Russian official documents (Babel's kk locale has only
the nominative month); the case suffixes follow Kazakh vowel harmony and the final sound of the
word (standard grammar: ілік -ның/-дың/-тың, барыс -ға/-қа, табыс -ны/-ды/-ты, жатыс
-да/-та, шығыс -дан/-нан/-тан, көмектес -мен/-бен/-пен); Russian declension by pymorphy3.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан")
KK_MONTHS_ATTR = ("қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы", "маусымдағы",
                  "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы")
KK_MONTHS_LOC = ("қаңтарда", "ақпанда", "наурызда", "сәуірде", "мамырда", "маусымда", "шілдеде",
                 "тамызда", "қыркүйекте", "қазанда", "қарашада", "желтоқсанда")
RU_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
             "октябрь", "ноябрь", "декабрь")
RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря")
RU_MONTHS_LOC = ("в январе", "в феврале", "в марте", "в апреле", "в мае", "в июне", "в июле",
                 "в августе", "в сентябре", "в октябре", "в ноябре", "в декабре")


def date_dmy(d: dt.date) -> str:
    """15.01.2026"""
    return d.strftime("%d.%m.%Y")


def date_long(d: dt.date, lang: str) -> str:
    """kk «2026 жылғы 15 қаңтар», ru «15 января 2026 года»."""
    if lang == "kk":
        return f"{d.year} жылғы {d.day} {KK_MONTHS[d.month - 1]}"
    return f"{d.day} {RU_MONTHS_GEN[d.month - 1]} {d.year} года"


def date_attr(d: dt.date, lang: str) -> str:
    """The date of an act: kk «2026 жылғы «15» қаңтардағы», ru ««15» января 2026 года».

    As in «2026 жылғы «15» қаңтардағы № 12 бұйрығы» / «от «15» января 2026 года № 12».
    """
    if lang == "kk":
        return f"{d.year} жылғы «{d.day:02d}» {KK_MONTHS_ATTR[d.month - 1]}"
    return f"«{d.day:02d}» {RU_MONTHS_GEN[d.month - 1]} {d.year} года"


def month_name(m: int, lang: str) -> str:
    """Nominative month: қаңтар / январь."""
    return (KK_MONTHS if lang == "kk" else RU_MONTHS)[m - 1]


def month_loc(m: int, lang: str) -> str:
    """«In the month»: қаңтарда / в январе."""
    return (KK_MONTHS_LOC if lang == "kk" else RU_MONTHS_LOC)[m - 1]


# --- Kazakh case suffixes ----------------------------------------------------------------

CASES = ("gen", "dat", "acc", "loc", "abl", "ins")

_BACK = set("аоұыя")
_FRONT = set("әөүіеэю")
_VOWELS = _BACK | _FRONT | set("уи")
_VOICELESS = set("кқпстфхцчшщбвгд")  # word-final б, в, г, д sound voiceless
_NASAL = set("мнң")
_LETTER_NAMES = {  # how an abbreviation's last letter is read: МКК-ның («ка»), ЖШС-тің («эс»)
    "А": "а", "Ә": "ә", "Б": "бэ", "В": "вэ", "Г": "гэ", "Ғ": "ғы", "Д": "дэ", "Е": "е",
    "Ж": "жэ", "З": "зэ", "И": "и", "Й": "ий", "К": "ка", "Қ": "қа", "Л": "эл", "М": "эм",
    "Н": "эн", "Ң": "ың", "О": "о", "Ө": "ө", "П": "пэ", "Р": "эр", "С": "эс", "Т": "тэ",
    "У": "у", "Ұ": "ұ", "Ү": "ү", "Ф": "эф", "Х": "ха", "Һ": "һа", "Ц": "цэ", "Ч": "чэ",
    "Ш": "ша", "Щ": "ща", "Ы": "ы", "І": "і", "Э": "э", "Ю": "ю", "Я": "я",
}
_SUFFIXES = {  # case → (after a vowel, after м/н/ң, after other voiced, after voiceless); back forms
    "gen": ("ның", "ның", "дың", "тың"),
    "dat": ("ға", "ға", "ға", "қа"),
    "acc": ("ны", "ды", "ды", "ты"),
    "loc": ("да", "да", "да", "та"),
    "abl": ("дан", "нан", "дан", "тан"),
    "ins": ("мен", "мен", "мен", "пен"),
}
_TO_FRONT = str.maketrans({"ы": "і", "а": "е", "ғ": "г", "қ": "к"})


def _front(word: str) -> bool:
    """Kazakh vowel harmony: whether ``word`` (lower-case) takes front-vowel suffixes, by its
    last vowel that is front or back (а, о, ұ, ы, я back; ә, ө, ү, і, е, э, ю front)."""
    for ch in reversed(word):
        if ch in _BACK:
            return False
        if ch in _FRONT:
            return True
    return True


def _kk_suffix(word: str, case: str) -> str:
    lower = word.lower()
    if case == "ins" and lower and lower[-1] in "жз":
        return "бен"
    last = lower[-1]
    front = _front(lower)
    if last in _VOWELS:
        i = 0
    elif last in _NASAL:
        i = 1
    elif last in _VOICELESS:
        i = 3
    else:
        i = 2
    if case == "gen" and last in "лрйузж":
        i = 2
    suffix = _SUFFIXES[case][i]
    return suffix.translate(_TO_FRONT) if front and case != "ins" else suffix


def kk_case(text: str, case: str) -> str:
    """``text`` with the Kazakh case suffix ``case`` (one of :data:`CASES`) on its last word.

    An abbreviation (ШЖҚ МКК) or a text ending in a quote or digit takes a hyphen and the
    suffix of how its last letter is read: «…ШЖҚ МКК-ның», «ЖШС-тің».
    """
    if not text:
        return text
    m = re.search(r"([A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)[^A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]*$", text)
    if m is None:
        return text
    word = m.group(1)
    trailing = text[m.end(1):]
    is_abbr = len(word) >= 2 and word.isupper() or bool(trailing.strip())
    if not is_abbr and " " in text.strip() and word[-1] in "ыі" and len(word) > 3:
        # an izafet head with the 3rd-person possessive (Директорлар кеңесі, … орталығы)
        back = word[-1] == "ы"
        return text + {"gen": "ның" if back else "нің", "dat": "на" if back else "не",
                       "acc": "н", "loc": "нда" if back else "нде", "abl": "нан" if back else "нен",
                       "ins": "мен"}[case]
    if is_abbr:
        sound = _LETTER_NAMES.get(word[-1].upper(), word[-1].lower()) if word.isupper() else word
        return f"{text}-{_kk_suffix(sound, case)}"
    return text + _kk_suffix(word, case)


# --- Russian declension -------------------------------------------------------------------

_RU_CASES = {"gen": "gent", "dat": "datv", "acc": "accs", "loc": "loct", "abl": "gent", "ins": "ablt"}


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


def _match_case(source: str, word: str) -> str:
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@functools.lru_cache(maxsize=4096)
def ru_case(text: str, case: str) -> str:
    """``text`` (a Russian noun phrase in the nominative) in ``case`` (one of :data:`CASES`;
    «abl» gives the genitive, as after «из»/«от»).

    The phrase's head noun and the adjectives before it are declined (Городской центр →
    Городского центра); the words after the head, quoted names and abbreviations stay as
    written; a text pymorphy3 cannot analyse is returned unchanged.
    """
    grammeme = _RU_CASES[case]
    words = text.split(" ")
    morph = _morph()
    head = None
    for i, w in enumerate(words):
        if not re.fullmatch(r"[А-Яа-яЁё-]+", w) or (w.isupper() and len(w) > 1):
            break
        all_parses = morph.parse(w)
        if i + 1 < len(words) and any("ADJF" in p.tag and "nomn" in p.tag for p in all_parses):
            continue  # an adjective before its noun (Городской центр)
        parses = [p for p in all_parses if "NOUN" in p.tag and "nomn" in p.tag
                  and not ({"Surn", "Name", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")))]
        if parses:
            head = (i, parses[0])
            break
    if head is None:
        return text
    hi, noun = head
    out = list(words)
    prefix = ""
    if "-" in words[hi]:
        # a compound noun with an indeclinable first part: only its last part declines
        # (комплаенс-офицер → комплаенс-офицеру, бизнес-аналитик → бизнес-аналитика)
        prefix, _, last = words[hi].rpartition("-")
        prefix += "-"
        parses = [p for p in morph.parse(last) if "NOUN" in p.tag and "nomn" in p.tag]
        if not parses:
            return text
        noun = parses[0]
    inflected = noun.inflect({grammeme})
    if inflected is None:
        return text
    out[hi] = prefix + _match_case(words[hi][len(prefix):], inflected.word)
    gender, number = noun.tag.gender, noun.tag.number
    animate = "anim" in noun.tag
    for i in range(hi):
        adj = [p for p in morph.parse(words[i]) if "ADJF" in p.tag and "nomn" in p.tag
               and (p.tag.number == "plur" or p.tag.gender == gender)]
        if not adj:
            return text
        p = adj[0]
        want = {grammeme, number} | ({gender} if number == "sing" and gender else set())
        if grammeme == "accs" and not animate and (gender == "masc" or number == "plur"):
            want = {"nomn", number} | ({gender} if number == "sing" and gender else set())
        form = p.inflect(want)
        if form is None:
            return text
        out[i] = _match_case(words[i], form.word)
    return " ".join(out)


def case_forms(text: str, lang: str, decline: bool = True) -> dict[str, str]:
    """All case forms of ``text`` as ``{"gen": …, …}``; with ``decline`` False (a Russian
    full name led by its legal form, e.g. «ГКП на ПХВ «…»») the forms equal the text."""
    if lang == "kk":
        return {c: kk_case(text, c) for c in CASES}
    if not decline:
        return {c: text for c in CASES}
    return {c: ru_case(text, c) for c in CASES}


def initials(full_name: str, lang: str) -> str:
    """«Фамилия Имя Отчество» as «И.О. Фамилия» (the signature form); a one-word name or a
    name already with initials is returned as is."""
    parts = full_name.split()
    if len(parts) < 2 or any(p.endswith(".") for p in parts):
        return full_name
    surname, rest = parts[0], parts[1:]
    # Kazakh patronymics «Маратұлы», «Серікқызы» and Russian «Маратович» are given names too
    letters = "".join(p[0] + "." for p in rest[:2] if p[:1].isalpha())
    return f"{letters} {surname}"


def female(full_name: str) -> bool | None:
    """Whether the person named «Фамилия Имя Отчество» is a woman, from the patronymic: the
    Russian «-вна», «-чна» (Кановна, Ильинична) and the Kazakh «-қызы», «-кызы» are a
    woman's, «-вич», «-ич» and «-ұлы», «-улы» a man's; None when the name has no
    patronymic, so the text keeps the form for both («ознакомлен(а)»)."""
    parts = full_name.split()
    if len(parts) < 3:
        return None
    patronymic = parts[-1].casefold()
    if patronymic.endswith(("вна", "чна", "қызы", "кызы")):
        return True
    if patronymic.endswith(("ич", "ұлы", "улы", "үлы")):
        return False
    return None


# --- Prepositions, surnames, positions mid-sentence ----------------------------------------

RU_NA_NOUNS = frozenset({
    "предприятие", "завод", "фабрика", "комбинат", "станция", "электростанция", "почта", "склад",
    "база", "верфь", "шахта", "рудник", "ферма", "биржа", "полигон", "телеканал", "радиостанция",
    "телерадиокомпания", "стадион", "вокзал", "космодром", "аэродром", "месторождение",
})
"""Russian nouns of place that take «на» (на предприятии, на заводе, на станции); every other
noun of an organization takes «в» (в обществе, в центре, в больнице, в товариществе)."""

_RU_VOWELS = "АЕЁИОУЫЭЮЯаеёиоуыэюя"


@functools.lru_cache(maxsize=256)
def _ru_head_noun(text: str):
    """pymorphy3's parse of the first noun of a Russian noun phrase («Городской центр» →
    «центр»), or None when the phrase opens with a quote or an abbreviation."""
    morph = _morph()
    for w in text.split(" "):
        if not re.fullmatch(r"[А-Яа-яЁё-]+", w) or (w.isupper() and len(w) > 1):
            return None
        parses = [p for p in morph.parse(w) if "NOUN" in p.tag and "nomn" in p.tag]
        if parses:
            return parses[0]
    return None


def ru_place_preposition(text: str) -> str:
    """«на» or «в»: the preposition of place the organization's name takes, from its head
    noun (:data:`RU_NA_NOUNS`): «Предприятие» → «на», «Общество», «Центр» → «в»."""
    noun = _ru_head_noun(text)
    return "на" if noun is not None and noun.normal_form in RU_NA_NOUNS else "в"


def ru_about(text_loc: str) -> str:
    """«об» before a word opening with a vowel sound (об Обществе, об АО), else «о»
    (о Предприятии, о Центре); ``text_loc`` is the phrase in the prepositional case."""
    first = text_loc.lstrip("«\"")[:1]
    return "об" if first and first in "АИОУЭаиоуэ" else "о"


def ru_surname_dat(surname: str, woman: bool | None) -> str:
    """A Russian or Kazakh surname written in Russian, in the dative (кому?): a man's
    «Иванов», «Сапаров», «Пушкин» → «Иванову», a woman's «Ибраева», «Пушкина» → «Ибраевой»,
    «-ский/-ская» → «-скому/-ской», a man's surname ending in another consonant gains «у»
    (Ким → Киму); a surname ending in another vowel, a woman's surname that is not «-ова»
    type, and any surname of a person whose sex is unknown (``woman`` None) stay as they are
    (Сейткали, Нұрланқызы)."""
    low = surname.casefold()
    if woman is None or not surname:
        return surname
    if woman:
        if low.endswith(("ова", "ева", "ёва", "ина", "ына")):
            return surname[:-1] + "ой"
        if low.endswith("ская") or low.endswith("цкая"):
            return surname[:-2] + "ой"
        return surname
    if low.endswith(("ский", "цкий")):
        return surname[:-2] + "ому"
    if low[-1:] in _RU_VOWELS.casefold() or low[-1:] in "ьй" or not low[-1:].isalpha():
        return surname
    return surname + "у"


def initials_dat(full_name: str, lang: str, woman: bool | None) -> str:
    """The signature form «И.О. Фамилия» in the dative, as an addressee after «Кому:» /
    «Кімге:»: Russian by :func:`ru_surname_dat` (И.О. Иванову), Kazakh by the dative suffix
    (Е.А. Нұрлановқа)."""
    short = initials(full_name, lang)
    head, _, surname = short.rpartition(" ")
    if lang == "kk":
        return kk_case(short, "dat")
    return f"{head} {ru_surname_dat(surname, woman)}".strip()


def lower_first(text: str) -> str:
    """A position mid-sentence: the first letter lower-cased («Главный специалист» → «главный
    специалист»), unless the first word is an abbreviation or a name with capitals inside
    («IT-директор», «HR-менеджер», «ҚР СТ»)."""
    if not text:
        return text
    first = re.split(r"[\s-]", text, maxsplit=1)[0]
    if len(first) > 1 and sum(ch.isupper() for ch in first) > 1:
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """The first letter upper-cased, the rest as written: a phrase that opens a sentence
    («{{ org.short_in | cap }}» → «В Обществе», «На Предприятии»)."""
    return text[:1].upper() + text[1:]


def kk_possessive(position: str) -> str:
    """A Kazakh position after the organization's name, with the 3rd-person possessive
    (izafet) it takes there: «Директор» → «директоры», «Комплаенс-офицер» → «комплаенс-офицері»,
    «Бас дәрігер» → «бас дәрігері»; a position already ending in «-ы/-і» («Басқарма
    төрағасы», «Комплаенс маманы») keeps its form; the first letter is lower-cased
    (:func:`lower_first`)."""
    text = lower_first(position.strip())
    word = re.split(r"[\s-]", text)[-1].lower()
    if not word or word[-1] in "ыі" or not word[-1].isalpha():
        return text
    front = _front(word)
    if word[-1] in _VOWELS:
        return text + ("сі" if front else "сы")
    return text + ("і" if front else "ы")


def ru_its(text: str) -> str:
    """The Russian possessive pronoun that agrees with an organization's name, by the gender
    of its head noun: «его» for «Предприятие», «Общество», «Центр», «ее» for «Больница»,
    «Компания» (official texts write «е» for «ё»); «его» when the noun is not known."""
    noun = _ru_head_noun(text)
    return "ее" if noun is not None and noun.tag.gender == "femn" and noun.tag.number != "plur" else "его"
