"""The contact page: the centre's own ways to be reached as far as a source gives them, saying plainly what is not
yet known, and every other channel with the source of its number."""

from collections.abc import Iterator

import pytest

from kenniscentrum.lib.region import region as region_data
from tests.conftest import region_file_changed

pytestmark = pytest.mark.django_db


def test_every_channel_is_shown_with_the_source_of_its_number(client, region) -> None:
    page = client.get("/en/informatie/contact/").content.decode()
    for channel in region_data()["channels"]:
        shown = f"Source: {channel['source_public']}"
        assert shown in page, channel["key"]
        if channel.get("phone"):
            assert f'href="tel:{channel["phone"].replace(" ", "")}"' in page
    assert page.count("Source: ") == len(region_data()["channels"])


def test_the_centres_own_phone_email_address_and_hours_are_said_to_be_not_yet_known(client, region) -> None:
    page = client.get("/informatie/contact/").content.decode()
    # One plain sentence, no placeholder, no number made up.
    assert (
        "Het kenniscentrum heeft zijn eigen telefoonnummer, e-mailadres, bezoekadres en openingstijden nog niet" in page
    )
    assert 'href="mailto:' not in page
    english = client.get("/en/informatie/contact/").content.decode()
    assert (
        "The centre has not yet published its own phone number, e-mail address, visiting address or opening" in english
    )


@pytest.fixture
def centre_with_phone_only(settings, tmp_path) -> Iterator[None]:
    def change(data: dict) -> None:
        data["centre"]["contact"].update({"phone": "053 000 00 00", "source": "letter of the centre, 2027-01"})

    yield from region_file_changed(settings, tmp_path, change)


def test_a_detail_the_region_file_gives_is_shown_with_its_source_and_the_rest_is_named_as_unknown(
    client, region, centre_with_phone_only
) -> None:
    page = client.get("/en/informatie/contact/").content.decode()
    assert 'href="tel:0530000000"' in page and "Source: letter of the centre, 2027-01" in page
    assert "we cannot give them here: e-mail address, visiting address, opening hours." in page


@pytest.fixture
def phone_without_source(settings, tmp_path) -> Iterator[None]:
    def change(data: dict) -> None:
        data["centre"]["contact"].update({"phone": "053 000 00 00", "source": ""})
        data["channels"].append({"key": "made_up", "name": {"nl": "Verzonnen lijn", "en": "Made-up line"},
                                 "phone": "0800-0000", "source": "", "source_public": ""})  # fmt: skip

    yield from region_file_changed(settings, tmp_path, change)


def test_a_number_without_a_source_is_never_shown(client, region, phone_without_source) -> None:
    page = client.get("/en/informatie/contact/").content.decode()
    assert "053 000 00 00" not in page and "0800-0000" not in page and "Made-up line" not in page
