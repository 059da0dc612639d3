"""The country as data: every province, district and subdistrict from the country's package."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from measures.models import Agency, District, Province, Subdistrict
from measures.services.places import country_load

pytestmark = pytest.mark.django_db


def test_the_whole_country_is_loaded_with_its_codes():
    result = country_load()

    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    assert (result.provinces, result.districts, result.subdistricts) == (77, 928, 7436)
    phayao = Province.objects.get(code="56")
    assert (phayao.name, phayao.slug) == ("พะเยา", "phayao")
    dok_khamtai = District.objects.get(code="5605")
    assert (dok_khamtai.name, dok_khamtai.province) == ("ดอกคำใต้", phayao)
    nong_lom = Subdistrict.objects.get(code="560508")
    assert (nong_lom.name, nong_lom.name_en, nong_lom.district) == (
        "หนองหล่ม",
        "Nong Lom",
        dok_khamtai,
    )
    assert nong_lom.postal_code == "56120"
    # Every province has an address of its own, made from its English name.
    assert Province.objects.get(code="10").slug == "bangkok"
    assert Province.objects.get(code="11").slug == "samut-prakan"


def test_places_already_there_keep_their_addresses_and_are_not_duplicated():
    old = Province.objects.create(name="พะเยา", slug="old-phayao")
    district = District.objects.create(province=old, name="ดอกคำใต้")
    test_province = Province.objects.create(name="ทดสอบ", slug="test-province")

    country_load()

    old.refresh_from_db()
    district.refresh_from_db()
    assert (old.slug, old.code) == ("old-phayao", "56")
    assert district.code == "5605"
    assert District.objects.filter(name="ดอกคำใต้").count() == 1
    assert Province.objects.count() == 78  # the test province is left as it was
    assert Province.objects.filter(pk=test_province.pk, code=None).exists()


def test_loading_again_writes_nothing(django_assert_max_num_queries):
    country_load()

    with django_assert_max_num_queries(6):
        again = country_load()

    assert (again.provinces, again.districts, again.subdistricts) == (0, 0, 0)
    assert Subdistrict.objects.count() == 7436


def test_a_renamed_place_is_updated():
    country_load()
    Subdistrict.objects.filter(code="560508").update(name="หนองหล่มเก่า")

    again = country_load()

    assert again.subdistricts == 1
    assert Subdistrict.objects.get(code="560508").name == "หนองหล่ม"


def test_load_demo_loads_the_country_first():
    out = io.StringIO()
    call_command("load_demo", "--no-publish", stdout=out)

    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    assert "77 provinces, 928 districts and 7436 subdistricts" in out.getvalue()
    nong_lom = Agency.objects.get(slug="nong-lom")
    # The demo agency's district is the country's, with its code, not a second one.
    assert nong_lom.district.code == "5605"
    assert nong_lom.province.slug == "phayao"


def test_the_seeds_alone_load_the_provinces_and_districts_but_not_the_subdistricts():
    call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())

    assert (Province.objects.count(), District.objects.count()) == (77, 928)
    assert Subdistrict.objects.count() == 0
    assert Agency.objects.get(slug="kaset-phatthana").district.code == "7403"


def test_an_agencys_subdistrict_must_be_in_its_district():
    country_load()
    phayao = Province.objects.get(code="56")
    agency = Agency(
        name="เทศบาลตำบลหนองหล่ม",
        slug="nong-lom",
        kind=Agency.Kind.SUBDISTRICT_MUNICIPALITY,
        province=phayao,
        district=District.objects.get(code="5605"),
        subdistrict_area=Subdistrict.objects.get(code="560201"),  # in อำเภอจุน
    )

    with pytest.raises(ValidationError) as error:
        agency.full_clean()

    assert "subdistrict_area" in error.value.message_dict


def test_a_bangkok_address_says_khwaeng_and_khet():
    country_load()
    bangkok = Province.objects.get(code="10")
    agency = Agency(
        name="สำนักงานเขตพระนคร",
        kind=Agency.Kind.SPECIAL_LOCAL,
        province=bangkok,
        district=District.objects.get(code="1001"),
        subdistrict="พระบรมมหาราชวัง",
    )

    assert agency.address_line == "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร"


def test_the_nacc_types_of_agency_are_offered_and_the_old_ones_kept():
    values = set(Agency.Kind.values)

    assert {"subdistrict_municipality", "government_office", "other"} <= values
    assert {
        "independent_body",
        "public_organization",
        "higher_education",
        "province",
        "education_service_area",
    } <= values
