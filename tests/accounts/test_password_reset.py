"""Password reset end to end: the demo editor asks, gets the e-mail, follows its link, sets a new
password and logs in with it; every page is the portal's own, not the admin's."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ธรรมาภิบาล-2569!"


@pytest.fixture(autouse=True)
def throttled(settings):
    settings.AXES_ENABLED = True  # the reset goes through the throttled login as in production


@pytest.fixture
def demo():
    call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())


def site_page(response) -> bool:
    names = [t.name for t in response.templates]
    return "base.html" in names and not any(name.startswith("admin/") for name in names)


def test_the_demo_users_have_e_mail_addresses(demo, django_user_model):
    assert not django_user_model.objects.filter(email="").exists()


def test_the_demo_editor_resets_the_password_by_e_mail(client, demo, django_user_model):
    editor = django_user_model.objects.get(username="nong-lom-editor")
    form = client.get("/accounts/password_reset/")
    assert form.status_code == 200 and site_page(form)
    assert client.get("/accounts/login/").content.decode().count("/accounts/password_reset/")

    done = client.post("/accounts/password_reset/", {"email": editor.email}, follow=True)
    assert site_page(done)
    (message,) = mail.outbox
    assert message.to == [editor.email]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)

    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and site_page(confirm)
    assert confirm.context["validlink"]
    complete = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert complete.status_code == 200 and site_page(complete)

    login = {"username": "nong-lom-editor", "password": NEW_PASSWORD}
    assert client.post("/accounts/login/", login)["Location"] == "/staff/"
    # The link is used up.
    assert not client.get(link, follow=True).context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, demo):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_changing_the_password_is_a_site_page_too(client, demo):
    client.post("/accounts/login/", {"username": "nong-lom-editor", "password": "ita-demo-2568"})
    assert site_page(client.get("/accounts/password_change/"))
