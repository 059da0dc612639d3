"""The importer against the seeds: their tables, pasted or in a file, give the demo data."""

import io

import pytest

from measures.importers import parse_docx, parse_file, parse_spreadsheet, parse_table_text
from tests.measures.importer_seeds import (
    INDICATORS,
    TABLE_SEEDS,
    as_document,
    demo,
    differences,
    seed_csv,
    seed_docx,
    seed_lines,
    seed_xlsx,
)


def import_seed_text(key: str):
    year = demo(key)["fiscal_year"]
    return parse_table_text("\n".join(seed_lines(key)), year, INDICATORS[year])


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_pasted_seed_tables_give_the_demo_data(key):
    result = import_seed_text(key)
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_a_word_document_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_docx(io.BytesIO(seed_docx(key)), year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_an_excel_workbook_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_spreadsheet(seed_xlsx(key), "report.xlsx", year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_a_csv_file_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_spreadsheet(seed_csv(key), "report.csv", year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


def test_a_csv_file_in_tis_620():
    result = parse_spreadsheet(seed_csv("nong-lom-2568", "cp874"), "r.csv", 2568, INDICATORS[2568])
    assert differences(as_document(result), demo("nong-lom-2568")) == []


def test_a_text_file_through_parse_file(tmp_path):
    path = tmp_path / "sai-khao.txt"
    path.write_text("\n".join(seed_lines("sai-khao-2567")), encoding="utf-8")
    result = parse_file(path, path.name, 2567, INDICATORS[2567])
    assert differences(as_document(result), demo("sai-khao-2567")) == []
