"""Finding 21 of issue 27: the first de-identification after a start waited for deduce to load, and the first PDF for
WeasyPrint's fonts. The serving process loads both at start; tests and other management commands do not."""

from kenniscentrum.insights import apps, deidentify
from kenniscentrum.lib import pdf


def test_only_the_process_runserver_serves_from_warms_up_in_a_thread(monkeypatch) -> None:
    for argv, run_main, serving in ((["manage.py", "runserver"], "true", True), (["manage.py", "runserver"], "", False),
                                    (["manage.py", "migrate"], "true", False), (["pytest"], "", False)):  # fmt: skip
        monkeypatch.setattr(apps.sys, "argv", argv)
        monkeypatch.setenv("RUN_MAIN", run_main)
        assert apps.serving_with_runserver() is serving


def test_the_warm_up_loads_deduce_and_makes_a_pdf(monkeypatch) -> None:
    from kenniscentrum.startup import warm_up

    done = []
    monkeypatch.setattr(deidentify, "_deduce", lambda: done.append("deduce"))
    monkeypatch.setattr(pdf, "pdf_from_html", lambda html: done.append("pdf") or b"%PDF")
    warm_up()
    assert done == ["deduce", "pdf"]
