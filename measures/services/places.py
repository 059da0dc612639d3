"""The country as data: every province, district and subdistrict, and finding them by name.

``country_load`` writes them from the ``geothai`` package (DOPA's codes, Thai and English names,
postal codes; pinned in requirements.txt), matching places already there by code, then by name,
so that a place keeps its address and is never doubled. ``PlaceIndex`` finds them again as people
write them (จ.พะเยา, อำเภอเมือง, a code) for the agencies' import (``services.agencies``).
"""

from dataclasses import dataclass

import geothai
from django.db import transaction
from django.utils.text import slugify

from ..models import RESERVED_SLUGS, District, Province, Subdistrict
from ..models.places import BANGKOK

# -- The country --------------------------------------------------------------------------------


@dataclass
class CountryLoad:
    """How many places were created or updated (0, 0, 0 when the country was already there)."""

    provinces: int = 0
    districts: int = 0
    subdistricts: int = 0
    version: str = geothai.DATA_VERSION


@transaction.atomic
def country_load(*, subdistricts: bool = True) -> CountryLoad:
    """Every province, district and subdistrict of the package, written only where it differs.

    ``subdistricts=False`` stops at the districts: the 7,436 subdistricts take most of the time
    (~0.5 s), which the tests that load only the seed reports do without."""
    result = CountryLoad()
    provinces = _provinces_load(result)
    districts = _districts_load(result, provinces)
    if subdistricts:
        _subdistricts_load(result, districts)
    return result


def _provinces_load(result: CountryLoad) -> dict[str, Province]:
    existing = list(Province.objects.all())
    by_code = {p.code: p for p in existing if p.code}
    by_name = {p.name: p for p in existing}
    slugs = {p.slug for p in existing}
    create, update = [], []
    for item in geothai.provinces():
        province = by_code.get(item.code) or by_name.get(item.name_th)
        if province is None:
            # One already there keeps its slug; a new one's comes from its English name.
            slug = free_slug([slugify(item.name_en)], slugs, fallback=f"province-{item.code}")
            province = Province(code=item.code, name=item.name_th, name_en=item.name_en, slug=slug)
            create.append(province)
        elif (province.code, province.name, province.name_en) != (
            item.code,
            item.name_th,
            item.name_en,
        ):
            province.code, province.name, province.name_en = item.code, item.name_th, item.name_en
            update.append(province)
        by_code[item.code] = province
    Province.objects.bulk_create(create)
    Province.objects.bulk_update(update, ["code", "name", "name_en"])
    result.provinces = len(create) + len(update)
    return by_code


def _districts_load(result: CountryLoad, provinces: dict[str, Province]) -> dict[str, District]:
    existing = list(District.objects.all())
    by_code = {d.code: d for d in existing if d.code}
    by_name = {(d.province_id, d.name): d for d in existing}
    create, update = [], []
    for item in (d for p in geothai.provinces() for d in geothai.districts(p.code)):
        province = provinces[item.province_code]
        district = by_code.get(item.code) or by_name.get((province.pk, item.name_th))
        wanted = (item.code, item.name_th, item.name_en, province.pk)
        if district is None:
            district = District(
                code=item.code, name=item.name_th, name_en=item.name_en, province=province
            )
            create.append(district)
        elif (district.code, district.name, district.name_en, district.province_id) != wanted:
            district.code, district.name, district.name_en = wanted[:3]
            district.province = province
            update.append(district)
        by_code[item.code] = district
    District.objects.bulk_create(create, batch_size=1000)
    District.objects.bulk_update(update, ["code", "name", "name_en", "province"], batch_size=1000)
    result.districts = len(create) + len(update)
    return by_code


def _subdistricts_load(result: CountryLoad, districts: dict[str, District]) -> None:
    fields = ["name", "name_en", "postal_code", "district_id"]
    existing = {
        row[0]: row[1:]
        for row in Subdistrict.objects.values_list("code", "id", *fields).iterator(2000)
    }
    create, update = [], []
    for district_code, district in districts.items():
        for item in geothai.subdistricts(district_code):
            postal_code = item.postal_codes[0] if item.postal_codes else ""
            wanted = (item.name_th, item.name_en, postal_code, district.pk)
            row = existing.get(item.code)
            if row is None:
                create.append(Subdistrict(code=item.code, district=district, **_named(wanted)))
            elif tuple(row[1:]) != wanted:
                update.append(Subdistrict(pk=row[0], code=item.code, **_named(wanted)))
    Subdistrict.objects.bulk_create(create, batch_size=2000)
    Subdistrict.objects.bulk_update(update, fields, batch_size=1000)
    result.subdistricts = len(create) + len(update)


def _named(values: tuple) -> dict:
    name, name_en, postal_code, district_id = values
    return {
        "name": name,
        "name_en": name_en,
        "postal_code": postal_code,
        "district_id": district_id,
    }


def free_slug(candidates: list[str], taken: set[str], *, fallback: str) -> str:
    """The first candidate not taken (nor reserved), else the fallback numbered; marked taken."""
    for slug in [c for c in candidates if c] + [fallback]:
        if slug not in taken and slug not in RESERVED_SLUGS:
            taken.add(slug)
            return slug
    n = 2
    while f"{fallback}-{n}" in taken:
        n += 1
    taken.add(f"{fallback}-{n}")
    return f"{fallback}-{n}"


def slug_from_thai(text: str) -> str:
    """nong-lom for หนองหล่ม: each word romanised (RTGS), when no English name is known."""
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    words = word_tokenize(text, keep_whitespace=False)
    return "-".join(filter(None, (slugify(romanize(w, engine="royin")) for w in words)))[:80]


# -- Finding places as people write them ----------------------------------------------------------

_PLACE_PREFIXES = ("จังหวัด", "กิ่งอำเภอ", "อำเภอ", "ตำบล", "แขวง", "เขต", "จ.", "อ.", "ต.")
_BANGKOK_NAMES = ("กทม", "กทม.", "กรุงเทพ", "กรุงเทพฯ")


def place_key(text: str) -> str:
    """พะเยา for "จังหวัด พะเยา" or "จ.พะเยา"; พระนคร for เขตพระนคร and พระนคร alike."""
    key = "".join(text.split())
    for prefix in _PLACE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    return key.lower()


class PlaceIndex:
    """Every province, district and subdistrict in memory (three queries), found by its code,
    its Thai name with or without จังหวัด/อำเภอ/ตำบล (อำเภอเมือง too), or a province's English
    name or slug."""

    def __init__(self):
        self._provinces: dict[str, Province] = {}
        for province in Province.objects.all():
            keys = [
                province.code,
                place_key(province.name),
                province.name_en.lower(),
                province.slug,
            ]
            keys += _BANGKOK_NAMES if province.code == BANGKOK else []
            for key in filter(None, keys):
                self._provinces.setdefault(key, province)
        self._districts: dict[tuple, District] = {}
        self.districts_by_pk: dict[int, District] = {}
        for district in District.objects.all():
            self.districts_by_pk[district.pk] = district
            self._districts[(district.province_id, place_key(district.name))] = district
            if district.code:
                self._districts[(district.province_id, district.code)] = district
        self._subdistricts: dict[tuple, Subdistrict] = {}
        self._district_of: dict[int, int] = {}
        for subdistrict in Subdistrict.objects.all():
            subdistrict.district = self.districts_by_pk[subdistrict.district_id]
            self._subdistricts[(subdistrict.district_id, place_key(subdistrict.name))] = subdistrict
            self._subdistricts[(None, subdistrict.code)] = subdistrict
            self._district_of[subdistrict.pk] = subdistrict.district_id

    def province(self, text: str) -> Province | None:
        return self._provinces.get(place_key(text))

    def district(self, province: Province, text: str) -> District | None:
        key = place_key(text)
        found = self._districts.get((province.pk, key))
        if found is None and key == "เมือง":  # อำเภอเมือง: the province's capital district
            found = self._districts.get((province.pk, "เมือง" + place_key(province.name)))
        return found

    def subdistrict(self, district: District | None, text: str) -> Subdistrict | None:
        """By its code anywhere, or by its name in the district."""
        key = place_key(text)
        if key.isdigit():
            found = self._subdistricts.get((None, key))
            return found if found and district in (None, found.district) else None
        return self._subdistricts.get((district.pk, key)) if district else None

    def subdistrict_district(self, pk: int) -> int | None:
        """The district of a subdistrict, by their ids."""
        return self._district_of.get(pk)
