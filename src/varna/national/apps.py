from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NationalConfig(AppConfig):
    name = "varna.national"
    label = "national"
    verbose_name = gettext_lazy("National view")
