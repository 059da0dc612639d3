"""What the API answers, declared as schemas: openapi.json is generated from them.

The content of a report is the report data format (measures.report_format.ReportData), described
by its own declaration and served as it was published, byte for byte: a published version never
changes, so it is neither re-validated nor re-written on its way out.
"""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic_core import core_schema

from measures.models import Agency as AgencyRecord
from measures.report_format import ReportData

from .params import YEAR_FIELD

Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
FiscalYear = Annotated[int, Field(**YEAR_FIELD)]
Number = Annotated[int, Field(ge=1)]
AgencyKind = Annotated[str, Field(json_schema_extra={"enum": AgencyRecord.Kind.values})]


class Error(Schema):
    error: str


class Province(Schema):
    id: int
    name: str
    slug: str


class Agency(Schema):
    slug: str
    name: str
    kind: AgencyKind
    district: str | None
    province: Province


class VersionLink(Schema):
    """One version, at its fixed addresses."""

    number: Number
    published_at: Timestamp
    html: Url
    pdf: Url
    json_: Url = Field(alias="json")
    api: Url


class DocumentLink(Schema):
    """One of the year's other documents at its latest version."""

    version: Number
    published_at: Timestamp
    html: Url
    pdf: Url


class CatalogueEntry(Schema):
    """A report's version (the latest one in the catalogue). html, pdf, json and api are the
    addresses of the latest version, or of this version when asked for one by number; versions
    lists every version, the newest first."""

    agency: Agency
    fiscal_year: FiscalYear
    version: Number
    published_at: Timestamp
    sha256: str = Field(
        pattern="^[0-9a-f]{64}$", description="Hash of the version's data (canonical JSON)."
    )
    measure_count: int = Field(ge=0)
    html: Url
    pdf: Url
    json_: Url = Field(alias="json")
    api: Url
    versions: list[VersionLink] = Field(min_length=1)
    documents: dict[Literal["analysis", "plan", "progress"], DocumentLink] = Field(
        default_factory=dict,
        description="The year's other documents that are published (the analysis of last "
        "year's result, the measures plan, the progress), each at its latest version.",
    )


class _AsPublished:
    """A version's data as it was published: passed through, described as ReportData."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler) -> core_schema.CoreSchema:
        return core_schema.dict_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler):
        return handler(ReportData.__pydantic_core_schema__)


class Report(CatalogueEntry):
    """A version with its content."""

    report: Annotated[dict[str, Any], _AsPublished]


class Listing(Schema):
    """A page of results; next and previous are the neighbouring pages' addresses."""

    count: int = Field(ge=0)
    next: Url | None
    previous: Url | None


class Catalogue(Listing):
    results: list[CatalogueEntry]


class DocumentEntry(DocumentLink):
    """One of the cycle's other documents of an agency's year, at its latest version."""

    agency: Agency
    fiscal_year: FiscalYear
    document: Literal["analysis", "plan", "progress"]
    sha256: str = Field(pattern="^[0-9a-f]{64}$")


class Documents(Listing):
    results: list[DocumentEntry]


class Fragment(Schema):
    """A piece of text; match marks the pieces the query words found."""

    text: str
    match: bool


class Highlighted(Schema):
    title: list[Fragment]
    snippet: list[Fragment]


class HitAgency(Schema):
    slug: str
    name: str
    kind: AgencyKind
    province: str = Field(description="The province's name.")


class SearchHit(Schema):
    """A measure of a report's latest published version."""

    agency: HitAgency
    fiscal_year: FiscalYear
    version: Number
    measure: Number = Field(description="The measure's place in the report's measures, from 1.")
    title: str
    indicator: int | None
    issue_group: int | None
    highlighted: Highlighted
    html: Url = Field(description="The measure on its version's page.")
    api: Url = Field(description="The version in this API.")


class SearchResults(Listing):
    count: int = Field(
        ge=0,
        le=1001,
        description=(
            "How many measures match, counted up to 1,001: 1,001 means more than 1,000. A search "
            "ranks and serves at most that many; add words or filters to narrow it."
        ),
    )
    results: list[SearchHit]
