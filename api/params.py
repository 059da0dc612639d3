"""The API's query parameters, as ninja Query schemas.

Each parameter is read as the API has always read it: blank means absent, a whole number is read
by measures.numbers as the pages read it (Arabic or Thai digits: ๒๕๖๘), and anything else is
refused with a sentence that names the parameter (turned into a 400 {"error": ...} by api.api).
The validators take the raw text and never hand it to pydantic's own parsing, so that "1.5", "²",
"٣" or "2568.0" are refused; the Field constraints only describe the parameters in openapi.json.
"""

import re
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, ValidatorFunctionWrapHandler, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

from measures.models import Agency
from measures.numbers import NotANumber, whole_number

YEARS = (2500, 2700)  # Buddhist Era, as FiscalYear allows
MAX_ID = 2**63 - 1
MAX_PAGE = 2**31
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
YEAR_HINT = " (a Buddhist-Era fiscal year, such as 2568)"
YEAR_NEEDED = "Give the fiscal year: measures.csv?year=2568 (Buddhist Era)."


def refuse(message: str) -> PydanticCustomError:
    """The error of a parameter, whose message is the API's 400 answer as it is."""
    return PydanticCustomError("invalid_parameter", "{message}", {"message": message})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value).strip()


def _whole_number(name: str, low: int, high: int, hint: str = "", needed: str = ""):
    """A validator: a whole number from low to high, None when blank (or ``needed`` refused)."""

    def parse(value: Any, _: ValidatorFunctionWrapHandler) -> int | None:
        raw = _text(value)
        if not raw:
            if needed:
                raise refuse(needed)
            return None
        try:
            return whole_number(raw, low=low, high=high)  # the pages' own reading of numbers
        except NotANumber:
            raise refuse(f"{name} must be a whole number from {low} to {high}{hint}.") from None

    return WrapValidator(parse)


def _kind(value: Any, _: ValidatorFunctionWrapHandler) -> str | None:
    kind = _text(value)
    if kind and kind not in Agency.Kind.values:
        raise refuse(f"kind must be one of: {', '.join(Agency.Kind.values)}.")
    return kind or None


def _agency(value: Any, _: ValidatorFunctionWrapHandler) -> str | None:
    agency = _text(value)
    if agency and not SLUG.match(agency):
        raise refuse("agency must be an agency's slug, such as nong-lom.")
    return agency or None


def _words(value: Any, _: ValidatorFunctionWrapHandler) -> str:
    return str(value).replace("\x00", "").strip()


YEAR_FIELD = {"ge": YEARS[0], "le": YEARS[1], "examples": [2568]}
Year = Annotated[
    int,
    Field(description="Fiscal year, Buddhist Era.", **YEAR_FIELD),
    _whole_number("year", *YEARS, hint=YEAR_HINT),
]
Province = Annotated[
    int,
    Field(description="A province's id (agency.province.id).", ge=1, le=MAX_ID),
    _whole_number("province", 1, MAX_ID),
]
Kind = Annotated[
    str,
    Field(description="The type of agency.", json_schema_extra={"enum": Agency.Kind.values}),
    WrapValidator(_kind),
]
AgencySlug = Annotated[
    str, Field(description="An agency's slug.", pattern=SLUG.pattern), WrapValidator(_agency)
]
Page = Annotated[
    int,
    Field(description="Page number, from 1; 50 results a page.", ge=1, le=MAX_PAGE),
    _whole_number("page", 1, MAX_PAGE),
]


class PageQuery(Schema):
    """The page asked for: the API's pagination (api.api.PageNumberPagination) reads it."""

    page: Page = None


CURSOR = re.compile(r"^(2[5-7][0-9]{2})\.([-a-zA-Z0-9_]+)$")


def _cursor(name: str):
    """A validator: a place in the catalogue, the year and the agency's slug ("2568.nong-lom"),
    as the catalogue's next and previous links give it."""

    def parse(value: Any, _: ValidatorFunctionWrapHandler) -> str | None:
        raw = _text(value)
        if raw and not CURSOR.match(raw):
            raise refuse(f"{name} must be a place in the catalogue, such as 2568.nong-lom.")
        return raw or None

    return WrapValidator(parse)


Cursor = Annotated[str, Field(pattern=CURSOR.pattern)]


class CataloguePage(Schema):
    """The catalogue's page: after or before a place (its next and previous links), or page N
    as its links were before (api.api.CataloguePagination)."""

    page: Page = None
    after: Annotated[
        Cursor, Field(description="The page after this report (the next link)."), _cursor("after")
    ] = None
    before: Annotated[
        Cursor,
        Field(description="The page before this report (the previous link)."),
        _cursor("before"),
    ] = None


class CatalogueQuery(Schema):
    """The catalogue's filters, in the order the API checks them (the first wrong one answers)."""

    year: Year = None
    province: Province = None
    agency: AgencySlug = None
    kind: Kind = None


class SearchQuery(Schema):
    q: Annotated[str, Field(description="Words to look for."), WrapValidator(_words)] = ""
    year: Year = None
    province: Province = None
    kind: Kind = None
    indicator: Annotated[
        int,
        Field(description="The ITA indicator's number.", ge=1, le=100),
        _whole_number("indicator", 1, 100),
    ] = None


class YearQuery(BaseModel):
    """measures.csv's one parameter, which it cannot do without.

    A plain pydantic model: a ninja Schema hands its validators an object, not the dict.
    """

    year: Annotated[
        int,
        Field(description="Fiscal year, Buddhist Era.", **YEAR_FIELD),
        _whole_number("year", *YEARS, hint=YEAR_HINT, needed=YEAR_NEEDED),
    ]

    @model_validator(mode="before")
    @classmethod
    def _absent_is_blank(cls, data: Any) -> Any:
        # Without ?year= at all, the answer is the same as for a blank one.
        if isinstance(data, dict) and "year" not in data:
            return {**data, "year": ""}
        return data
