"""Finding 22 of issue 27: the functional administration showed English on Dutch pages ("Choose partijen", the
password error) and addressed the administrator as "u" where the platform says "je". A functional administrator
walks every page of the administration in Dutch, and makes the mistakes people make with a new account's password."""

import json
import re

import pytest
from django.test import Client

from kenniscentrum.lib.admin_site import site
from tests.conftest import logged_in

# Texts Django's administration shows in English where its Dutch catalogue has no translation, and words of our own
# that were left in English.
ENGLISH = ["Model name", "Change or view list link", "Add link", "Error:", "Recipient", "didn’t match", "too short",
           "This password", "English", "Polski", "Română", "Български", "Українська", "Django"]  # fmt: skip
# The Dutch side says "je" (docs/glossary.md); Django's Dutch catalogue says "u".
FORMAL = re.compile(r"\b(U|u|Uw|uw)\b")
# What the administration's scripts write on the page (the filter of a long list, as for a covenant's parties).
SCRIPT_TEXTS = ['Choose %s by selecting them and then select the "Choose" arrow button.', "Choose all %s",
                "Choose selected %s", "Remove selected %s", "Remove all %s", "(click to clear)", "Chosen %s",
                'Remove %s by selecting them and then select the "Remove" arrow button.', "Filter"]  # fmt: skip


def visible_text(html: str) -> str:
    """What a person reads on the page: no scripts, styles or tags, with the titles and labels read aloud."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    said = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + said


def admin_pages(client: Client) -> list[str]:
    pages = ["/beheer/"]
    for model in site._registry:
        base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base, f"{base}add/"]
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    return [p for p in pages if client.get(p).status_code == 200]


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text] + FORMAL.findall(text)


@pytest.mark.django_db
def test_every_page_of_the_administration_is_in_dutch_and_says_je(admin_user, case) -> None:
    client = logged_in(admin_user)
    pages = admin_pages(client)
    assert len(pages) > 20
    found = {page: english_in(visible_text(client.get(page).content.decode())) for page in pages}
    assert not {page: words for page, words in found.items() if words}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password1", "password2"),
    [("kort", "kort"), ("12345678901234", "12345678901234"), ("wachtwoord", "wachtwoord"),
     ("een-lang-wachtwoord-1", "een-ander-wachtwoord-2"), ("bram-de-beheerder", "bram-de-beheerder")],
)  # fmt: skip
def test_a_password_refused_for_a_new_account_is_explained_in_dutch(admin_user, password1, password2) -> None:
    client = logged_in(admin_user)
    # What the browser sends: the form's fields and its hidden ones (the role rows' management form).
    form = client.get("/beheer/accounts/user/add/").content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    hidden.pop("csrfmiddlewaretoken", None)
    page = client.post("/beheer/accounts/user/add/", {**hidden, "username": "bram-de-beheerder", "password1": password1,
                                                      "password2": password2, "usable_password": "true"})  # fmt: skip
    text = visible_text(page.content.decode())
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert not english_in(text), english_in(text)
    assert 'value="bram-de-beheerder"' in page.content.decode()


@pytest.mark.django_db
def test_the_scripts_of_the_administration_have_their_texts_in_dutch(admin_user) -> None:
    script = logged_in(admin_user).get("/beheer/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, flags=re.S).group(1))
    missing = [text for text in SCRIPT_TEXTS if text not in catalogue]
    assert not missing
    formal = {text: catalogue[text] for text in catalogue if FORMAL.search(str(catalogue[text]))}
    assert not formal
