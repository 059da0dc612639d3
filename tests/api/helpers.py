"""What the API tests share: the demo reports, and checks of what the API answers."""

import csv
import io

from jsonschema import Draft202012Validator

from measures.models import Report
from publication import services
from publication.models import PublishedVersion
from tests.factories import publish

BASE = "http://testserver"
DEMO = {
    "kaset-phatthana": 2566,
    "nong-samet": 2567,
    "sai-khao": 2567,
    "non-sung": 2568,
    "nong-lom": 2568,
}


def valid(openapi, schema: str, instance) -> None:
    """Check ``instance`` against a schema of the API's own OpenAPI description."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{schema}",
        "components": openapi["components"],
    }
    Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        instance
    )


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    return response.json()


def revise(report: Report, admin, title: str) -> PublishedVersion:
    """Open a revision, retitle the first measure, publish it as the next version."""
    services.report_open_revision(report=report, user=admin)
    measure = report.measures.order_by("position").first()
    measure.title = title
    measure.save()
    return publish(report, admin)


def latest(slug: str) -> PublishedVersion:
    return PublishedVersion.objects.filter(report__agency__slug=slug).order_by("-number").first()


def csv_rows(client, year) -> list[dict]:
    response = client.get(f"/api/v1/measures.csv?year={year}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def lines(items: list[dict]) -> list[str]:
    return [f"{item['label']} {item['text']}".strip() for item in items]
