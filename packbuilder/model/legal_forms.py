"""Legal forms of Kazakhstan's organizations, kk ↔ ru: the state enterprises on the right of
economic management and the state-owned enterprises and state institutions of the Law «On
State Property» of 1 March 2011 № 413-IV, joint-stock companies (the Law «On Joint-Stock
Companies» of 13 May 2003 № 415-II) and limited liability partnerships (the Law «On Limited
and Additional Liability Partnerships» of 22 April 1998 № 220-I)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalForm:
    """One legal form: abbreviations and full names in both languages.

    ``quasi`` is False for state institutions (КММ, ММ, РММ): they are not quasi-state
    entities, so the pack is built for them with a warning.
    """

    kk: str
    ru: str
    kk_full: str
    ru_full: str
    quasi: bool = True


LEGAL_FORMS: dict[str, LegalForm] = {f.kk: f for f in [
    LegalForm("ШЖҚ МКК", "ГКП на ПХВ",
              "шаруашылық жүргізу құқығындағы мемлекеттік коммуналдық кәсіпорын",
              "государственное коммунальное предприятие на праве хозяйственного ведения"),
    LegalForm("ШЖҚ КМК", "ГКП на ПХВ",
              "шаруашылық жүргізу құқығындағы коммуналдық мемлекеттік кәсіпорын",
              "государственное коммунальное предприятие на праве хозяйственного ведения"),
    LegalForm("ШЖҚ РМК", "РГП на ПХВ",
              "шаруашылық жүргізу құқығындағы республикалық мемлекеттік кәсіпорын",
              "республиканское государственное предприятие на праве хозяйственного ведения"),
    LegalForm("МКҚК", "ГККП", "мемлекеттік коммуналдық қазыналық кәсіпорын",
              "государственное коммунальное казенное предприятие"),
    LegalForm("РМҚК", "РГКП", "республикалық мемлекеттік қазыналық кәсіпорын",
              "республиканское государственное казенное предприятие"),
    LegalForm("АҚ", "АО", "акционерлік қоғам", "акционерное общество"),
    LegalForm("КЕАҚ", "НАО", "коммерциялық емес акционерлік қоғам",
              "некоммерческое акционерное общество"),
    LegalForm("ЖШС", "ТОО", "жауапкершілігі шектеулі серіктестік",
              "товарищество с ограниченной ответственностью"),
    LegalForm("ҰК", "НК", "ұлттық компания", "национальная компания"),
    LegalForm("КММ", "КГУ", "коммуналдық мемлекеттік мекеме",
              "коммунальное государственное учреждение", quasi=False),
    LegalForm("ММ", "ГУ", "мемлекеттік мекеме", "государственное учреждение", quasi=False),
    LegalForm("РММ", "РГУ", "республикалық мемлекеттік мекеме",
              "республиканское государственное учреждение", quasi=False),
]}


def _key(s: str) -> str:
    return " ".join(s.split()).upper()


_LOOKUP: dict[str, LegalForm] = {}
for _f in LEGAL_FORMS.values():
    _LOOKUP.setdefault(_key(_f.kk), _f)
    _LOOKUP.setdefault(_key(_f.ru), _f)


def find_legal_form(text: str) -> LegalForm | None:
    """The legal form named by its kk (ШЖҚ МКК) or ru (ГКП на ПХВ) abbreviation, or None.

    Case and spacing are ignored. ГКП на ПХВ maps to ШЖҚ МКК (the first kk form with it).
    """
    return _LOOKUP.get(_key(text))
