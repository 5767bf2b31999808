from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AboutConfig(AppConfig):
    """What a public service must say about itself: the accessibility statement and how personal data is used."""

    name = "varna.about"
    label = "about"
    verbose_name = gettext_lazy("About the service")
