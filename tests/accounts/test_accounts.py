"""Logging in and out, and changing or resetting a password (Django's auth, in Thai)."""

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def test_log_in_goes_to_my_reports_and_log_out_to_the_public_home(client, demo):
    response = client.post(
        "/accounts/login/", {"username": "nong-lom-editor", "password": "ita-demo-2568"}
    )
    assert response["Location"] == "/staff/"
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_a_wrong_password_gets_a_thai_message(client, demo):
    response = client.post("/accounts/login/", {"username": "nong-lom-editor", "password": "x"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()
    assert response.context["form"].errors


def test_change_password(client, demo):
    client.login(username="nong-lom-editor", password="ita-demo-2568")
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "ita-demo-2568",
            "new_password1": "ธรรมาภิบาล-2569!",
            "new_password2": "ธรรมาภิบาล-2569!",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="nong-lom-editor", password="ธรรมาภิบาล-2569!")


def test_reset_password_by_e_mail(client, demo):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="nong-lom-editor").update(email="editor@example.org")
    assert client.get("/accounts/password_reset/").status_code == 200
    client.post("/accounts/password_reset/", {"email": "editor@example.org"})
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
