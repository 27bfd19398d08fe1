from collections.abc import Iterable

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.models import ChoiceLabelsModel


class LegalElement(models.TextChoices):
    """The element of art. 273f Sr a signal bears on, or whether it speaks of vulnerability or context."""

    # Not only recruiting, transporting or housing: art. 273f lid 1 sub 4 Sr needs none of those (sources.md §7.5).
    ACT = (
        "act",
        _(
            "Act (for example recruiting, transporting or housing someone, or getting them to make themselves "
            "available for work)"
        ),
    )
    MEANS = "means", _("Means (coercion, deception, abuse of a vulnerable position)")
    PURPOSE = "purpose", _("Purpose (exploitation)")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    CONTEXT = "context", _("Context")


class Topic(models.TextChoices):
    """What a context signal is about, so the public check can ask about it in short steps."""

    APPEARANCE = "appearance", _("Appearance, health and possessions")
    BEHAVIOUR = "behaviour", _("Behaviour and mood")
    DAILY_LIFE = "daily_life", _("School, phone, going out and friends")


class CheckStep(models.TextChoices):
    """The short pages of the public check (indicators.check), the most telling first. A signal asked in the check
    names its page; the rest of the catalogue is for the team and the knowledge pages."""

    WORK = "work", _("Work, money and sex")
    CONTROL = "control", _("Pressure, control and dependence")
    CONTACT = "contact", _("Contacts, love and photos")
    NOTICE = "notice", _("Appearance and behaviour")


class Audience(models.TextChoices):
    VICTIM = "victim", _("Someone worried about themselves")
    CONCERNED = "concerned", _("Someone worried about another person")
    PROFESSIONAL = "professional", _("Professional")


TRANSLATED_LANGUAGES = ["nl", "en", "pl", "ro", "bg", "uk"]


def in_language(obj: models.Model, field: str) -> str:
    """`field` in the current language (fields named field_nl, field_en, ...), else English, else Dutch."""
    language = get_language() or "nl"
    value = getattr(obj, f"{field}_{language}", "") if language in TRANSLATED_LANGUAGES else ""
    return value or getattr(obj, f"{field}_en") or getattr(obj, f"{field}_nl")


class IndicatorList(models.Model):
    """A published signal list, kept as published, with its source."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_pl = models.CharField(_("title (Polish)"), max_length=200, blank=True)
    title_ro = models.CharField(_("title (Romanian)"), max_length=200, blank=True)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=200, blank=True)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300)
    # What visitors see of the source: who published the list, and where (`source` is the team's note).
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address of the published list"), max_length=300, blank=True)
    truncated = models.BooleanField(
        _("truncated"), default=False, help_text=_("Only part of the published list could be retrieved.")
    )
    # Professional fields (indicators.forms.SECTORS) this list is shown to when a professional names theirs.
    sectors = models.JSONField(_("professional fields"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("signal list")
        verbose_name_plural = _("signal lists")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")


class Indicator(ChoiceLabelsModel):
    """One signal: its text in Dutch (as published) and English, what it points to, and for whom it is phrased."""

    indicator_list = models.ForeignKey(
        IndicatorList, verbose_name=_("list"), related_name="indicators", on_delete=models.PROTECT
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    # The visitors' languages: the project's translations of the English gloss, so a visitor can read the
    # signal; the Dutch text stays the published one.
    text_pl = models.TextField(_("text (Polish)"), blank=True)
    text_ro = models.TextField(_("text (Romanian)"), blank=True)
    text_bg = models.TextField(_("text (Bulgarian)"), blank=True)
    text_uk = models.TextField(_("text (Ukrainian)"), blank=True)
    # Someone who recognises the signal in themselves reads it in the second person (the project's words); the
    # published third-person text above stays the source of record.
    you_nl = models.TextField(_("text for yourself (Dutch)"), blank=True)
    you_en = models.TextField(_("text for yourself (English)"), blank=True)
    you_pl = models.TextField(_("text for yourself (Polish)"), blank=True)
    you_ro = models.TextField(_("text for yourself (Romanian)"), blank=True)
    you_bg = models.TextField(_("text for yourself (Bulgarian)"), blank=True)
    you_uk = models.TextField(_("text for yourself (Ukrainian)"), blank=True)
    # The same signal about someone else, in the project's plain words for a lay reader (a whole sentence, no
    # "hij/zij"); the published text above stays the source of record.
    they_nl = models.TextField(_("text about someone else (Dutch)"), blank=True)
    they_en = models.TextField(_("text about someone else (English)"), blank=True)
    they_pl = models.TextField(_("text about someone else (Polish)"), blank=True)
    they_ro = models.TextField(_("text about someone else (Romanian)"), blank=True)
    they_bg = models.TextField(_("text about someone else (Bulgarian)"), blank=True)
    they_uk = models.TextField(_("text about someone else (Ukrainian)"), blank=True)
    # Codes of ExploitationForm (reports.models) and of Audience; a list each.
    forms = models.JSONField(_("forms of exploitation"), default=list)
    element = models.CharField(_("legal element"), max_length=20, choices=LegalElement.choices)
    also_elements = models.JSONField(_("also bears on"), default=list, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    # The same signal as published in another list: visitors see it once, with both sources.
    same_as = models.ForeignKey(
        "self", verbose_name=_("same signal as"), null=True, blank=True, related_name="twins", on_delete=models.PROTECT
    )
    # The public check asks a short set (the data file says why each one): a signal asked there names its page.
    check_step = models.CharField(_("page in the public check"), max_length=20, choices=CheckStep.choices, blank=True)
    # A near-duplicate in another list is asked as that signal's question, which then names its source too.
    asked_as = models.ForeignKey(
        "self",
        verbose_name=_("asked in the check as"),
        null=True,
        blank=True,
        related_name="merged",
        on_delete=models.SET_NULL,
    )
    # A signal in the project's own words names its own source; otherwise its list's publisher is the source.
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address of the source"), max_length=300, blank=True)
    audiences = models.JSONField(_("audiences"), default=list)
    truncated = models.BooleanField(_("text truncated"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["indicator_list__order", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=~models.Q(same_as=models.F("pk")), name="indicator_not_same_as_itself"),
            # Context signals are asked per topic; the other elements are their own steps.
            models.CheckConstraint(
                condition=models.Q(element=LegalElement.CONTEXT) | models.Q(topic=""),
                name="indicator_topic_for_context",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def text_for_yourself(self) -> str:
        """The signal as someone worried about themselves reads it: second person where written, else as published."""
        return in_language(self, "you") if self.you_en or self.you_nl else self.text

    @property
    def text_about_someone(self) -> str:
        """The signal as someone asking about another person reads it: the plain sentence where written."""
        return in_language(self, "they") if self.they_en or self.they_nl else self.text

    def phrased_for(self, audience: str) -> str:
        """Someone worried about themselves reads the signal in the second person, anyone else about the other."""
        return self.text_for_yourself if audience == Audience.VICTIM else self.text_about_someone

    @property
    def elements(self) -> list[str]:
        return [self.element, *[e for e in self.also_elements if e != self.element]]

    @property
    def sources(self) -> list[tuple[str, str]]:
        """(publisher, address) of where this signal was published."""
        if self.publisher:
            return [(self.publisher, self.url)]
        return [(self.indicator_list.publisher, self.indicator_list.url)]


def active_indicator_codes(codes: Iterable[str] | None = None) -> list[str]:
    """The codes of the active indicators, all of them or those among `codes`."""
    indicators = Indicator.objects.filter(active=True)
    if codes is not None:
        indicators = indicators.filter(code__in=list(codes))
    return list(indicators.values_list("code", flat=True))


class CheckTally(models.Model):
    """How many signals checks were completed per month and audience, and which forms results pointed to.

    Counted in aggregate only: no answer, time or visitor is kept, just the numbers. `form` is empty for
    the row that counts completed checks.
    """

    month = models.DateField(_("month"))
    audience = models.CharField(_("audience"), max_length=20)
    form = models.CharField(_("form of exploitation"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-month", "audience", "form"]
        verbose_name = _("signals check count")
        verbose_name_plural = _("signals check counts")
        constraints = [models.UniqueConstraint(fields=["month", "audience", "form"], name="unique_check_tally")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.audience} {self.form or '-'}: {self.count}"
